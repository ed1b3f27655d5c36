"""Redis bitmaps as Python bytes: bit *i* lives in byte ``i // 8`` at mask ``0x80 >> (i % 8)`` (SETBIT order)."""

from __future__ import annotations

from collections.abc import Iterable


def bit(bitmap: bytes, index: int) -> bool:
    byte = index >> 3
    return byte < len(bitmap) and bool(bitmap[byte] & (0x80 >> (index & 7)))


def make_bitmap(size: int, indices: Iterable[int]) -> bytes:
    out = bytearray((size + 7) // 8)
    for i in indices:
        out[i >> 3] |= 0x80 >> (i & 7)
    return bytes(out)


def set_bits(bitmap: bytes, size: int | None = None) -> list[int]:
    """Indices of the bits that are 1 (optionally only below ``size``)."""
    out: list[int] = []
    for byte_no, value in enumerate(bitmap):
        if value:
            base = byte_no << 3
            for k in range(8):
                if value & (0x80 >> k):
                    out.append(base + k)
    if size is not None:
        out = [i for i in out if i < size]
    return out


def count(bitmap: bytes, size: int) -> int:
    """Number of 1 bits among the first ``size`` bits."""
    full, rest = divmod(size, 8)
    total = int.from_bytes(bitmap[:full], "big").bit_count()  # one C call (a 63,000-seat map in microseconds)
    if rest and full < len(bitmap):
        total += int.bit_count(bitmap[full] & (0xFF << (8 - rest)) & 0xFF)
    return total
