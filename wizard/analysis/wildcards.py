"""Provides the one wildcard matcher of the diagnosis: `*` (any run of characters) and `?` (one
character), nothing else special (unlike fnmatch, `[` is plain text). It serves IAM policy values and
ARNs (s3.policy_conditions, s3.bucket_policy), S3 CORS origins (s3.s3_cors, where only `*` is a
wildcard) and CloudFront path patterns (edge.cloudfront_config).

Each pattern is compiled once and cached: a policy is evaluated for many requests and a distribution's
behaviors for many paths, and recompiling on every comparison was the cost. (The lab's simulator keeps
its own small matchers on purpose, so a misreading here is not repeated there.)
"""

from __future__ import annotations

import functools
import re
from typing import Tuple

Chunks = Tuple[Tuple[str, bool], ...]  # (text, literal): literal text never acts as a wildcard


@functools.lru_cache(maxsize=4096)
def glob_regex(chunks: Chunks, ignore_case: bool = False, arn: bool = False) -> "re.Pattern[str]":
    """A compiled regex for the chunks: `*` any run, `?` one character, everything else literal.

    With `arn`, wildcards stay inside one of the six colon-separated ARN parts (IAM "ARN condition
    operators": each component is matched separately); the last part may hold colons.
    """
    colons = sum(text.count(":") for text, literal in chunks if not literal) if arn else 0
    segmented = arn and colons >= 5
    out, seen = [], 0
    for text, literal in chunks:
        if literal:
            out.append(re.escape(text))
            seen += text.count(":")
            continue
        for char in text:
            inside = segmented and seen < 5
            if char == "*":
                out.append("[^:]*" if inside else ".*")
            elif char == "?":
                out.append("[^:]" if inside else ".")
            else:
                out.append(re.escape(char))
                seen += char == ":"
    return re.compile("".join(out), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _star_only(pattern: str) -> Chunks:
    """The pattern's chunks with every `?` marked literal, so `*` is the only wildcard."""
    chunks = []
    for i, part in enumerate(pattern.split("?")):
        if i:
            chunks.append(("?", True))
        if part:
            chunks.append((part, False))
    return tuple(chunks)


def matches(pattern: str, value: str, ignore_case: bool = False, question_mark: bool = True) -> bool:
    """Whether all of `value` matches `pattern`. With `question_mark=False`, `?` is a plain character
    (S3 CORS allows one `*` and nothing else)."""
    chunks = ((pattern, False),) if question_mark else _star_only(pattern)
    return glob_regex(chunks, ignore_case).fullmatch(value) is not None
