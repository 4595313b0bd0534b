"""The attendance rule: "at least 3 of the last 4 meetings", how it is typed, and when a
member has just dropped below it. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MAX_WINDOW = 24
OFF_WORDS = {"off", "none", "fra", "ingen", "slet"}
_RULE = re.compile(r"([0-9]{1,3})\s*(?:of|af|/|ud af)\s*([0-9]{1,3})", re.IGNORECASE)


class RuleError(ValueError):
    """Not a rule ``parse_rule`` can read."""


@dataclass(frozen=True)
class Rule:
    required: int
    out_of: int


def parse_rule(text: str) -> Rule | None:
    """``3 of 4`` / ``3 af 4`` / ``3/4`` -> Rule(3, 4); ``off`` / ``fra`` -> None.

    Raises RuleError for anything else, or numbers out of range (1 ≤ required ≤ out of ≤ 24).
    """
    cleaned = " ".join(text.split()).lower()
    if cleaned in OFF_WORDS:
        return None
    match = _RULE.fullmatch(cleaned)
    if match is None:
        raise RuleError(text)
    required, out_of = int(match.group(1)), int(match.group(2))
    if not 1 <= required <= out_of <= MAX_WINDOW:
        raise RuleError(text)
    return Rule(required, out_of)


def dropped_below(history: Sequence[bool], rule: Rule) -> bool:
    """Whether the latest meeting took the member below the rule: ``history`` holds one entry
    per meeting held while they were a member (True: checked in), the latest last. Nobody is
    measured before ``out_of`` meetings were held, and nobody is told twice in a row."""
    if len(history) < rule.out_of:
        return False
    now = sum(history[-rule.out_of :])
    if now >= rule.required:
        return False
    if len(history) == rule.out_of:
        return True  # the first full window
    before = sum(history[-rule.out_of - 1 : -1])
    return before >= rule.required
