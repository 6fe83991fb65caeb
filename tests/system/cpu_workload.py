"""The checksum of the test init's CPU workload (polyvm_mode=cpu, CpuWorkload in
tests/system/init/init.c), computed here from its definition, outside any emulator: zlib's CRC-32
over a 64 KiB buffer of xorshift64 bytes, `rounds` times, each folded into the sum and perturbing
one byte. Used by boot_test.py (case cpu) and bench/boot.py (--workload)."""

import zlib

MASK = (1 << 64) - 1


def checksum(rounds):
    x = 88172645463325252
    buf = bytearray(1 << 16)
    for i in range(len(buf)):
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
        buf[i] = x & 0xFF
    total = 0
    for r in range(rounds):
        total = (total * 31 + zlib.crc32(bytes(buf))) & MASK
        buf[r & 0xFFFF] ^= total & 0xFF
    return "%016x" % total
