"""Seat bitmaps as bytes, in Redis SETBIT order: bit 0 is the most significant bit of byte 0."""

from __future__ import annotations

import random

import pytest

from boxoffice.domain.bitmap import bit, count, make_bitmap, set_bits


def redis_getbit(bitmap: bytes, index: int) -> int:
    """GETBIT as Redis documents it, computed independently: the string is one big-endian bit string."""
    if index >= len(bitmap) * 8:
        return 0
    return (int.from_bytes(bitmap, "big") >> (len(bitmap) * 8 - 1 - index)) & 1


@pytest.mark.parametrize(
    ("size", "indices", "expected"),
    [
        pytest.param(8, [0], b"\x80", id="setbit-0-is-msb"),
        pytest.param(8, [7], b"\x01", id="setbit-7-is-lsb"),
        pytest.param(16, [9], b"\x00\x40", id="second-byte"),
        pytest.param(16, [0, 1, 2, 3, 12, 13, 14, 15], b"\xf0\x0f", id="nibbles"),
        pytest.param(10, [9], b"\x00\x40", id="partial-last-byte"),
        pytest.param(40, [], b"\x00" * 5, id="empty"),
        pytest.param(0, [], b"", id="zero-size"),
        pytest.param(3, [0, 0, 2], b"\xa0", id="duplicates"),
    ],
)
def test_make_bitmap_matches_setbit(size: int, indices: list[int], expected: bytes) -> None:
    assert make_bitmap(size, indices) == expected


def test_bitmap_of_redis_doc_example() -> None:
    # redis.io SETBIT/BITCOUNT docs: "foobar" has BITCOUNT 26, and GETBIT of "`" (0x60) bits 1 and 2 are set
    assert count(b"foobar", 48) == 26
    assert set_bits(b"`") == [1, 2]
    assert [bit(b"`", i) for i in range(8)] == [False, True, True, False, False, False, False, False]


@pytest.mark.parametrize("index", [8, 9, 100])
def test_bit_beyond_the_string_is_zero(index: int) -> None:
    # a Redis string only grows to the highest bit ever set; GETBIT past its end answers 0
    assert bit(b"\xff", index) is False


@pytest.mark.parametrize(
    ("bitmap", "size", "expected"),
    [
        pytest.param(b"\xff\xff", 16, 16, id="full"),
        pytest.param(b"\xff\xff", 12, 12, id="ignores-bits-past-size"),
        pytest.param(b"\xff\xff", 3, 3, id="within-first-byte"),
        pytest.param(b"\x80", 40, 1, id="string-shorter-than-size"),
        pytest.param(b"", 40, 0, id="empty-string"),
        pytest.param(b"\x01\x80", 8, 1, id="exact-byte-boundary"),
        pytest.param(b"\x01\x80", 9, 2, id="one-bit-into-next-byte"),
        pytest.param(b"\xff", 0, 0, id="zero-size"),
    ],
)
def test_count(bitmap: bytes, size: int, expected: int) -> None:
    assert count(bitmap, size) == expected


def test_set_bits_with_size_limit() -> None:
    assert set_bits(b"\x81\x80") == [0, 7, 8]
    assert set_bits(b"\x81\x80", size=8) == [0, 7]
    assert set_bits(b"\x00\x00") == []


@pytest.mark.parametrize("seed", range(5))
def test_round_trip_random(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(50):
        size = rng.randint(1, 300)
        chosen = set(rng.sample(range(size), rng.randint(0, size)))
        bitmap = make_bitmap(size, chosen)
        assert len(bitmap) == (size + 7) // 8
        assert set_bits(bitmap) == sorted(chosen)
        assert set_bits(bitmap, size) == sorted(chosen)
        assert count(bitmap, size) == len(chosen)
        assert [bit(bitmap, i) for i in range(size + 16)] == [i in chosen for i in range(size + 16)]
        assert [redis_getbit(bitmap, i) for i in range(size)] == [int(i in chosen) for i in range(size)]
        prefix = rng.randint(0, size)
        assert count(bitmap, prefix) == sum(1 for i in chosen if i < prefix)
