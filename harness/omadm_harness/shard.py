"""Splitting a selection into shards, deterministically: sorted keys dealt round-robin."""
from __future__ import annotations

import re
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")


def parse_shard(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not m:
        raise ValueError(f"shard must look like i/n, not {text!r}")
    i, n = int(m.group(1)), int(m.group(2))
    if n < 1 or not 1 <= i <= n:
        raise ValueError(f"shard {text!r}: need 1 <= i <= n")
    return i, n


def select_shard(items: Sequence[T], index: int, count: int, key: Callable[[T], str]) -> list[T]:
    ordered = sorted(items, key=key)
    return [item for pos, item in enumerate(ordered) if pos % count == index - 1]
