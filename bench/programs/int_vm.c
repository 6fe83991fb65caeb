/* Integer benchmark: a small register-machine bytecode interpreter (switch dispatch) running a
 * Collatz-length and GCD workload. Exercises indirect branches, decoding and register traffic.
 * size = numbers whose Collatz length and GCD with a running value are computed. */
#include "bench.h"

typedef enum {
  kLi,    /* ra = imm */
  kMov,   /* ra = rb */
  kAdd,   /* ra = rb + rc */
  kAddi,  /* ra = rb + imm */
  kSub,   /* ra = rb - rc */
  kAndi,  /* ra = rb & imm */
  kShri,  /* ra = rb >> imm */
  kMuli,  /* ra = rb * imm */
  kRem,   /* ra = rb % rc (rc != 0 by construction) */
  kXor,   /* ra = rb ^ rc */
  kJmp,   /* pc = imm */
  kBeqz,  /* if ra == 0: pc = imm */
  kBnez,  /* if ra != 0: pc = imm */
  kBltu,  /* if ra < rb: pc = imm */
  kHalt,
} Op;

typedef struct {
  uint8_t op, a, b, c;
  int32_t imm;
} Insn;

/* Registers: r0 = acc, r1 = i, r2 = n, r3 = x, r4 = tmp, r5 = steps, r6 = g (gcd a), r7 = h. */
static const Insn kProgram[] = {
    /* 0 */ {kLi, 1, 0, 0, 1},
    /* 1 */ {kLi, 0, 0, 0, 0},
    /* 2 */ {kLi, 6, 0, 0, 987654321},
    /* loop: x = i, steps = 0 */
    /* 3 */ {kMov, 3, 1, 0, 0},
    /* 4 */ {kLi, 5, 0, 0, 0},
    /* collatz: if x == 1 goto done */
    /* 5 */ {kAddi, 4, 3, 0, -1},
    /* 6 */ {kBeqz, 4, 0, 0, 15},
    /* 7 */ {kAndi, 4, 3, 0, 1},
    /* 8 */ {kBnez, 4, 0, 0, 11},
    /* 9 */ {kShri, 3, 3, 0, 1},
    /* 10 */ {kJmp, 0, 0, 0, 13},
    /* odd: x = 3x + 1 */
    /* 11 */ {kMuli, 3, 3, 0, 3},
    /* 12 */ {kAddi, 3, 3, 0, 1},
    /* 13 */ {kAddi, 5, 5, 0, 1},
    /* 14 */ {kJmp, 0, 0, 0, 5},
    /* done: acc += steps; gcd(g, i + steps) by remainders */
    /* 15 */ {kAdd, 0, 0, 5, 0},
    /* 16 */ {kAdd, 7, 1, 5, 0},
    /* 17 */ {kMov, 4, 6, 0, 0},
    /* gcd: while h != 0: t = g % h; g = h; h = t */
    /* 18 */ {kBeqz, 7, 0, 0, 23},
    /* 19 */ {kRem, 3, 4, 7, 0},
    /* 20 */ {kMov, 4, 7, 0, 0},
    /* 21 */ {kMov, 7, 3, 0, 0},
    /* 22 */ {kJmp, 0, 0, 0, 18},
    /* acc ^= gcd; g = ((g * a + c) >> 8) + 1, an LCG step kept non-zero */
    /* 23 */ {kXor, 0, 0, 4, 0},
    /* 24 */ {kMuli, 6, 6, 0, 1103515245},
    /* 25 */ {kAddi, 6, 6, 0, 12345},
    /* 26 */ {kShri, 6, 6, 0, 8},
    /* 27 */ {kAddi, 6, 6, 0, 1},
    /* i += 1; loop while i <= n */
    /* 28 */ {kAddi, 1, 1, 0, 1},
    /* 29 */ {kBltu, 2, 1, 0, 31},
    /* 30 */ {kJmp, 0, 0, 0, 3},
    /* 31 */ {kHalt, 0, 0, 0, 0},
};

static uint64_t Run(const Insn* code, uint64_t* r, uint64_t* executed) {
  uint64_t count = 0;
  for (size_t pc = 0;;) {
    const Insn* in = &code[pc++];
    ++count;
    switch ((Op)in->op) {
      case kLi: r[in->a] = (uint64_t)(int64_t)in->imm; break;
      case kMov: r[in->a] = r[in->b]; break;
      case kAdd: r[in->a] = r[in->b] + r[in->c]; break;
      case kAddi: r[in->a] = r[in->b] + (uint64_t)(int64_t)in->imm; break;
      case kSub: r[in->a] = r[in->b] - r[in->c]; break;
      case kAndi: r[in->a] = r[in->b] & (uint64_t)(int64_t)in->imm; break;
      case kShri: r[in->a] = r[in->b] >> in->imm; break;
      case kMuli: r[in->a] = r[in->b] * (uint64_t)(int64_t)in->imm; break;
      case kRem: r[in->a] = r[in->b] % r[in->c]; break;
      case kXor: r[in->a] = r[in->b] ^ r[in->c]; break;
      case kJmp: pc = (size_t)in->imm; break;
      case kBeqz: if (r[in->a] == 0) pc = (size_t)in->imm; break;
      case kBnez: if (r[in->a] != 0) pc = (size_t)in->imm; break;
      case kBltu: if (r[in->a] < r[in->b]) pc = (size_t)in->imm; break;
      case kHalt: *executed = count; return r[0];
      default: fprintf(stderr, "bad opcode %u at %zu\n", in->op, pc - 1); exit(1);
    }
  }
}

int main(int argc, char** argv) {
  uint64_t n = BenchSize(argc, argv);
  uint64_t regs[8] = {0};
  regs[2] = n;
  uint64_t executed = 0;
  uint64_t acc = Run(kProgram, regs, &executed);
  uint64_t checksum = Mix64(Mix64(acc, executed), regs[6]);
  BenchReport("int_vm", n, checksum);
  return 0;
}
