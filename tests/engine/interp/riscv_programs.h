// Small RISC-V64 programs for the interpreter's end-to-end tests and its micro benchmark, as
// machine code assembled with `riscv64-linux-gnu-as -march=rv64gc` (.option norvc) from the source
// in the comments. Each ends with an ecall.
#pragma once

#include <cstdint>

namespace polyvm::engine::interp::test::rv {

inline constexpr uint32_t kCode[] = {
    // 0x00 sum: a0 = 1 + 2 + ... + a2
    //   li a0, 0; li a1, 1
    //   1: add a0, a0, a1; addi a1, a1, 1; bge a2, a1, 1b
    //   ecall
    0x00000513, 0x00100593, 0x00b50533, 0x00158593, 0xfeb65ce3, 0x00000073,
    // 0x18 sieve: a0 = flags (a1 zero bytes); a2 = number of primes below a1
    //   li a2, 0; li t0, 2
    //   1: bge t0, a1, 4f; add t1, a0, t0; lbu t2, 0(t1); bnez t2, 3f
    //      addi a2, a2, 1; mul t3, t0, t0
    //   2: bge t3, a1, 3f; add t4, a0, t3; li t5, 1; sb t5, 0(t4); add t3, t3, t0; j 2b
    //   3: addi t0, t0, 1; j 1b
    //   4: ecall
    0x00000613, 0x00200293, 0x02b2dc63, 0x00550333, 0x00034383, 0x02039263,
    0x00160613, 0x02528e33, 0x00be5c63, 0x01c50eb3, 0x00100f13, 0x01ee8023,
    0x005e0e33, 0xfedff06f, 0x00128293, 0xfcdff06f, 0x00000073,
    // 0x5c harmonic: fa0 = 1/1 + 1/2 + ... + 1/a1 in double, in that order
    //   fmv.d.x fa0, zero; li t0, 1; fcvt.d.l ft1, t0
    //   1: fcvt.d.l ft0, t0; fdiv.d ft2, ft1, ft0; fadd.d fa0, fa0, ft2; addi t0, t0, 1
    //      bge a1, t0, 1b
    //   ecall
    0xf2000553, 0x00100293, 0xd222f0d3, 0xd222f053, 0x1a00f153, 0x02257553,
    0x00128293, 0xfe55d8e3, 0x00000073,
    // 0x80 checksum: a2 = sum of w[i] * (i + 1) over the a1 64-bit words at a0, through a call
    //   li a2, 0; li t0, 0
    //   1: bge t0, a1, 2f; slli t1, t0, 3; add t1, t1, a0; ld a3, 0(t1); addi a4, t0, 1
    //      jal ra, mulacc; addi t0, t0, 1; j 1b
    //   2: ecall
    //   mulacc: mul a5, a3, a4; add a2, a2, a5; ret
    0x00000613, 0x00000293, 0x02b2d063, 0x00329313, 0x00a30333, 0x00033683,
    0x00128713, 0x010000ef, 0x00128293, 0xfe5ff06f, 0x00000073, 0x02e687b3,
    0x00f60633, 0x00008067,
    // 0xb8 atomics: a1 times amoadd.d of 1 to the counter at a0, then a1 lr.d/sc.d increments
    //   mv t0, a1
    //   1: li t1, 1; amoadd.d t2, t1, (a0); addi t0, t0, -1; bnez t0, 1b
    //   mv t0, a1
    //   2: lr.d t1, (a0); addi t1, t1, 1; sc.d t2, t1, (a0); bnez t2, 2b
    //      addi t0, t0, -1; bnez t0, 2b
    //   ecall
    0x00058293, 0x00100313, 0x006533af, 0xfff28293, 0xfe029ae3, 0x00058293,
    0x1005332f, 0x00130313, 0x186533af, 0xfe039ae3, 0xfff28293, 0xfe0296e3,
    0x00000073,
};

inline constexpr uint64_t kSum = 0x00, kSumEcall = 0x14;
inline constexpr uint64_t kSieve = 0x18;
inline constexpr uint64_t kHarmonic = 0x5c;
inline constexpr uint64_t kChecksum = 0x80;
inline constexpr uint64_t kAtomics = 0xb8;

}  // namespace polyvm::engine::interp::test::rv
