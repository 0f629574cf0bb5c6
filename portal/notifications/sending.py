"""Emailing notifications (filled in next): immediately and as daily digests."""

from __future__ import annotations


def send_immediate(*, union_id: int) -> int:
    return 0
