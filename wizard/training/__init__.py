"""Provides training: exercises with hidden verdicts, hints, and a check that a fix is right and safe."""
