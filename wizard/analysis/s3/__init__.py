"""Provides the S3 side of the diagnosis: whether a bucket (or KMS key) policy lets a request read an
object, the IAM condition operators that decide it, and which CORS rule answers an Origin."""
