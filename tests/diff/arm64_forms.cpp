// The integer, branch, system and load/store forms of the AArch64 differential tests, encoded
// from the Arm ARM's field layouts (C4.1), and the case generator. Operands are random within the
// register conventions of arm64_forms.h; reserved field values are drawn now and then on purpose
// (both emulators must then report an undefined instruction).
#include "arm64_forms.h"

namespace polyvm::diff {
namespace {

uint32_t Sf(A64Gen& g) { return g.Bits(1) << 31; }

// A plain instruction that is safe to skip or land on: movz xD, #imm.
void Filler(A64Gen& g) { g.Emit(0xd2800000 | g.Bits(16) << 5 | g.Dest()); }

// ---- data processing, immediate ----
void AddSubImm(A64Gen& g) {
  g.Emit(Sf(g) | g.Bits(2) << 29 | 0x22u << 23 | g.Bits(1) << 22 | g.Bits(12) << 10 | g.Src() << 5 |
         g.Dest());
}
void LogicalImm(A64Gen& g) {
  uint32_t sf = g.Bits(1);
  uint32_t n = g.Chance(0.9) ? sf : g.Bits(1);
  g.Emit(sf << 31 | g.Bits(2) << 29 | 0x24u << 23 | n << 22 | g.Bits(6) << 16 | g.Bits(6) << 10 |
         g.Src() << 5 | g.Dest());
}
void MovWide(A64Gen& g) {
  static constexpr uint32_t kOpc[3] = {0, 2, 3};
  uint32_t sf = g.Bits(1);
  uint32_t hw = sf ? g.Bits(2) : g.Bits(1);
  g.Emit(sf << 31 | kOpc[g.Bits(1) + g.Bits(1)] << 29 | 0x25u << 23 | hw << 21 | g.Bits(16) << 5 |
         g.Dest());
}
void Adr(A64Gen& g) {
  g.Emit(g.Bits(1) << 31 | g.Bits(2) << 29 | 0x10u << 24 | g.Bits(19) << 5 | g.Dest());
}
void Bitfield(A64Gen& g) {
  uint32_t sf = g.Bits(1);
  uint32_t immr = sf ? g.Bits(6) : g.Bits(5), imms = sf ? g.Bits(6) : g.Bits(5);
  uint32_t opc = g.Bits(1) + g.Bits(1);  // 0 SBFM, 1 BFM, 2 UBFM
  g.Emit(sf << 31 | opc << 29 | 0x26u << 23 | sf << 22 | immr << 16 | imms << 10 | g.Src() << 5 |
         g.Dest());
}
void Extr(A64Gen& g) {
  uint32_t sf = g.Bits(1);
  g.Emit(sf << 31 | 0x27u << 23 | sf << 22 | g.Src() << 16 | (sf ? g.Bits(6) : g.Bits(5)) << 10 |
         g.Src() << 5 | g.Dest());
}

// ---- data processing, register ----
void LogicalReg(A64Gen& g) {
  uint32_t sf = g.Bits(1);
  g.Emit(sf << 31 | g.Bits(2) << 29 | 0x0au << 24 | g.Bits(2) << 22 | g.Bits(1) << 21 |
         g.Src() << 16 | (sf ? g.Bits(6) : g.Bits(5)) << 10 | g.Src() << 5 | g.Dest());
}
void AddSubShifted(A64Gen& g) {
  uint32_t sf = g.Bits(1);
  g.Emit(sf << 31 | g.Bits(2) << 29 | 0x0bu << 24 |
         static_cast<uint32_t>(Uniform(g.rng(), 0, 2)) << 22 | g.Src() << 16 |
         (sf ? g.Bits(6) : g.Bits(5)) << 10 | g.Src() << 5 | g.Dest());
}
void AddSubExtended(A64Gen& g) {
  g.Emit(Sf(g) | g.Bits(2) << 29 | 0x59u << 21 | g.Src() << 16 | g.Bits(3) << 13 |
         static_cast<uint32_t>(Uniform(g.rng(), 0, 4)) << 10 | g.Src() << 5 | g.Dest());
}
void AddSubCarry(A64Gen& g) {
  g.Emit(Sf(g) | g.Bits(2) << 29 | 0xd0u << 21 | g.Src() << 16 | g.Src() << 5 | g.Dest());
}
void CondCompare(A64Gen& g) {
  uint32_t imm = g.Bits(1);
  g.Emit(Sf(g) | g.Bits(1) << 30 | 1u << 29 | 0xd2u << 21 | (imm ? g.Bits(5) : g.Src()) << 16 |
         g.Bits(4) << 12 | imm << 11 | g.Src() << 5 | g.Bits(4));
}
void CondSelect(A64Gen& g) {
  g.Emit(Sf(g) | g.Bits(1) << 30 | 0xd4u << 21 | g.Src() << 16 | g.Bits(4) << 12 | g.Bits(1) << 10 |
         g.Src() << 5 | g.Dest());
}
void OneSource(A64Gen& g) {
  g.Emit(Sf(g) | 1u << 30 | 0xd6u << 21 | static_cast<uint32_t>(Uniform(g.rng(), 0, 5)) << 10 |
         g.Src() << 5 | g.Dest());
}
void TwoSource(A64Gen& g) {
  static constexpr uint32_t kOps[6] = {2, 3, 8, 9, 10, 11};
  g.Emit(Sf(g) | 0xd6u << 21 | g.Src() << 16 | kOps[Uniform(g.rng(), 0, 5)] << 10 | g.Src() << 5 |
         g.Dest());
}
void Crc32(A64Gen& g) {
  uint32_t size = g.Bits(2);
  g.Emit((size == 3 ? 1u : 0u) << 31 | 0xd6u << 21 | g.Src() << 16 | 0x10u << 10 | g.Bits(1) << 12 |
         size << 10 | g.Src() << 5 | g.Dest());
}
void MulAdd(A64Gen& g) {
  g.Emit(Sf(g) | 0x1bu << 24 | g.Src() << 16 | g.Bits(1) << 15 | g.Src() << 10 | g.Src() << 5 |
         g.Dest());
}
void MulLong(A64Gen& g) {
  static constexpr uint32_t kOp31[2] = {1, 5};  // SMADDL/SMSUBL, UMADDL/UMSUBL
  g.Emit(1u << 31 | 0x1bu << 24 | kOp31[g.Bits(1)] << 21 | g.Src() << 16 | g.Bits(1) << 15 |
         g.Src() << 10 | g.Src() << 5 | g.Dest());
}
void MulHigh(A64Gen& g) {
  g.Emit(1u << 31 | 0x1bu << 24 | (g.Bits(1) ? 6u : 2u) << 21 | g.Src() << 16 | 31u << 10 |
         g.Src() << 5 | g.Dest());
}

// ---- branches: forward over one filler instruction ----
void CondBranch(A64Gen& g) {
  switch (g.Bits(2)) {
    case 0: g.Emit(0x54000000 | 2u << 5 | g.Bits(4)); break;                          // b.cond +8
    case 1: g.Emit(Sf(g) | 0x34000000 | g.Bits(1) << 24 | 2u << 5 | g.Src()); break;  // cbz/cbnz
    case 2:                                                                           // tbz/tbnz
      g.Emit(g.Bits(1) << 31 | 0x36000000 | g.Bits(1) << 24 | g.Bits(5) << 19 | 2u << 5 | g.Src());
      break;
    default: g.Emit(g.Bits(1) ? 0x94000002 : 0x14000002); break;  // bl / b +8
  }
  Filler(g);
}
void RegBranch(A64Gen& g) {
  static constexpr uint32_t kOps[3] = {0xd61f0000, 0xd63f0000, 0xd65f0000};  // br, blr, ret
  g.Emit(0x10000000 | 3u << 5 | 24);  // adr x24, +12: past the branch and the filler
  g.Emit(kOps[Uniform(g.rng(), 0, 2)] | 24u << 5);
  Filler(g);
}

// ---- loads and stores of one register ----
struct SizeOpc {
  uint32_t size, v, opc, scale;
};
constexpr SizeOpc kSingle[] = {{0, 0, 0, 0}, {0, 0, 1, 0}, {0, 0, 2, 0}, {0, 0, 3, 0}, {1, 0, 0, 1},
                               {1, 0, 1, 1}, {1, 0, 2, 1}, {1, 0, 3, 1}, {2, 0, 0, 2}, {2, 0, 1, 2},
                               {2, 0, 2, 2}, {3, 0, 0, 3}, {3, 0, 1, 3}, {0, 1, 0, 0}, {0, 1, 1, 0},
                               {0, 1, 2, 4}, {0, 1, 3, 4}, {1, 1, 0, 1}, {1, 1, 1, 1}, {2, 1, 0, 2},
                               {2, 1, 1, 2}, {3, 1, 0, 3}, {3, 1, 1, 3}};

uint32_t Transfer(A64Gen& g, const SizeOpc& s) {
  bool load = s.v ? (s.opc & 1) : s.opc != 0;
  if (s.v) return g.V();
  return load ? g.Dest() : g.Src();
}

void LoadStore(A64Gen& g) {
  const SizeOpc& s = kSingle[Uniform(g.rng(), 0, std::size(kSingle) - 1)];
  uint32_t head = s.size << 30 | 7u << 27 | s.v << 26 | s.opc << 22;
  uint32_t rt = Transfer(g, s);
  switch (g.Bits(2)) {
    case 0: {  // unsigned offset, within 1 KiB of the base
      uint32_t imm12 = static_cast<uint32_t>(Uniform(g.rng(), 0, (0x400u >> s.scale) - 1));
      g.Emit(head | 1u << 24 | imm12 << 10 | kA64MemBase << 5 | rt);
      break;
    }
    case 1: {  // unscaled, post-index, unprivileged (ldtr/sttr: no FP forms), pre-index
      uint32_t mode = g.Bits(2);
      if (mode == 2 && s.v) mode = 0;
      g.Emit(head | g.Bits(9) << 12 | mode << 10 | kA64MemBase << 5 | rt);
      break;
    }
    default: {  // register offset
      static constexpr uint32_t kOptions[4] = {2, 3, 6, 7};
      g.Emit(head | 1u << 21 | kA64Index << 16 | kOptions[g.Bits(2)] << 13 | g.Bits(1) << 12 |
             2u << 10 | kA64MemBase << 5 | rt);
      break;
    }
  }
}

void LoadLiteral(A64Gen& g) {
  uint32_t v = g.Bits(1);
  uint32_t opc = v ? static_cast<uint32_t>(Uniform(g.rng(), 0, 2))
                   : static_cast<uint32_t>(Uniform(g.rng(), 0, 2));
  g.Emit(opc << 30 | 3u << 27 | v << 26 | g.Bits(4) << 5 | (v ? g.V() : g.Dest()));
}

void Pair(A64Gen& g) {
  struct P {
    uint32_t opc, v, scale;
  };
  static constexpr P kPairs[] = {{0, 0, 2}, {1, 0, 2}, {2, 0, 3}, {0, 1, 2}, {1, 1, 3}, {2, 1, 4}};
  const P& p = kPairs[Uniform(g.rng(), 0, std::size(kPairs) - 1)];
  uint32_t load = p.opc == 1 && !p.v ? 1 : g.Bits(1);  // LDPSW has no store
  uint32_t form = static_cast<uint32_t>(Uniform(g.rng(), 0, 3));
  if (p.opc == 1 && !p.v && form == 0) form = 2;  // no LDNPSW
  uint32_t rt, rt2;
  if (p.v) {
    rt = g.V();
    do rt2 = g.V();
    while (load && rt2 == rt);
  } else if (load) {
    rt = g.Dest();
    do rt2 = g.Dest();
    while (rt2 == rt);
  } else {
    rt = g.Src();
    rt2 = g.Src();
  }
  int32_t imm7 = static_cast<int32_t>(Uniform(g.rng(), 0, 31)) - 16;
  g.Emit(p.opc << 30 | 5u << 27 | p.v << 26 | form << 23 | load << 22 |
         (static_cast<uint32_t>(imm7) & 0x7f) << 15 | rt2 << 10 | kA64MemBase << 5 | rt);
}

// ---- exclusives, acquire/release, atomics: all at x25 (aligned) ----
uint32_t DestExcept(A64Gen& g, unsigned a, unsigned b = 99) {
  unsigned r;
  do r = static_cast<unsigned>(Uniform(g.rng(), 0, 24));
  while (r == a || r == b);
  return r;
}

void Exclusive(A64Gen& g) {
  uint32_t size = g.Bits(2);
  uint32_t rt = g.Dest();
  uint32_t o0 = g.Bits(1);
  if (g.Chance(0.8)) g.Emit(size << 30 | 0x085f7c00 | o0 << 15 | kA64AtomicBase << 5 | rt);  // ldxr
  if (g.Chance(0.2)) Filler(g);
  uint32_t src = g.Src();
  uint32_t status = DestExcept(g, src);
  g.Emit(size << 30 | 0x08007c00 | status << 16 | g.Bits(1) << 15 | kA64AtomicBase << 5 | src);
}

void ExclusivePair(A64Gen& g) {
  uint32_t sz = g.Bits(1);
  uint32_t rt = g.Dest();
  uint32_t rt2 = DestExcept(g, rt);
  if (g.Chance(0.8)) {
    g.Emit(1u << 31 | sz << 30 | 0x087f0000 | g.Bits(1) << 15 | rt2 << 10 | kA64AtomicBase << 5 |
           rt);
  }
  uint32_t s1 = g.Src(), s2 = g.Src();
  uint32_t status = DestExcept(g, s1, s2);
  g.Emit(1u << 31 | sz << 30 | 0x08200000 | status << 16 | g.Bits(1) << 15 | s2 << 10 |
         kA64AtomicBase << 5 | s1);
}

void AcquireRelease(A64Gen& g) {
  uint32_t size = g.Bits(2);
  switch (g.Bits(2)) {
    case 0: g.Emit(size << 30 | 0x08dffc00 | kA64AtomicBase << 5 | g.Dest()); break;   // ldar
    case 1: g.Emit(size << 30 | 0x089ffc00 | kA64AtomicBase << 5 | g.Src()); break;    // stlr
    default: g.Emit(size << 30 | 0x38bfc000 | kA64AtomicBase << 5 | g.Dest()); break;  // ldapr
  }
}

// Unicorn 2.0.1 (QEMU 5.0) gets LDSMAX/LDSMIN/LDUMAX/LDUMIN of bytes, halfwords and words wrong:
// it compares the zero-extended memory value with the whole 64-bit Rs (neither truncated nor, for
// the signed ones, sign-extended; QEMU 6 fixed it), so min/max are drawn only at 64 bits here and
// tests/frontend/arm64/lift_atomic_test.cpp checks the narrow ones against the Arm ARM by hand.
void AtomicOp(A64Gen& g) {
  uint32_t swap = g.Chance(0.15);
  uint32_t opc = swap ? 0 : g.Bits(3);
  uint32_t size = opc >= 4 && !swap ? 3 : g.Bits(2);
  g.Emit(size << 30 | 0x38200000 | g.Bits(2) << 22 | g.Src() << 16 | swap << 15 | opc << 12 |
         kA64AtomicBase << 5 | g.Dest());
}

// LDR (unsigned offset 0) of the access size: makes the following CAS compare equal.
void LoadCurrent(A64Gen& g, uint32_t size, uint32_t rt) {
  g.Emit(size << 30 | 0x39400000 | kA64AtomicBase << 5 | rt);
}

void Cas(A64Gen& g) {
  uint32_t size = g.Bits(2);
  uint32_t rs = g.Dest();
  if (g.Chance(0.6)) LoadCurrent(g, size, rs);
  g.Emit(size << 30 | 0x08a07c00 | g.Bits(1) << 22 | rs << 16 | g.Bits(1) << 15 |
         kA64AtomicBase << 5 | g.Src());
}

void Casp(A64Gen& g) {
  uint32_t sz = g.Bits(1);
  uint32_t rs = 2 * static_cast<uint32_t>(Uniform(g.rng(), 0, 11));
  uint32_t rt = 2 * static_cast<uint32_t>(Uniform(g.rng(), 0, 14));
  if (g.Chance(0.6)) {  // ldp rs, rs+1, [x25]: the current pair
    g.Emit((sz ? 2u : 0u) << 30 | 0x29400000 | (rs + 1) << 10 | kA64AtomicBase << 5 | rs);
  }
  g.Emit(sz << 30 | 0x08207c00 | g.Bits(1) << 22 | rs << 16 | g.Bits(1) << 15 |
         kA64AtomicBase << 5 | rt);
}

// ---- system ----
void SysReg(A64Gen& g) {
  uint32_t r = g.Src();
  uint32_t d = g.Dest();
  switch (g.Bits(2)) {
    case 0:
      g.Emit(0xd51bd040 | r);
      g.Emit(0xd53bd040 | d);
      break;  // msr / mrs tpidr_el0
    case 1:
      g.Emit(0xd51b4200 | r);
      g.Emit(0xd53b4200 | d);
      break;  // msr / mrs nzcv
    case 2:   // fpcr: RMode (AHP, FZ and DN change FP results in ways polyvm does not track
              // yet, so polyvm refuses them: docs/ir.md, "Not yet covered")
      g.Emit(0xd2a00000 | (g.Bits(16) & 0x00c0) << 5 | 24);  // movz x24, #imm, lsl #16
      g.Emit(0xd51b4400 | 24);
      g.Emit(0xd53b4400 | d);
      break;
    default:                                               // fpsr: QC, IDC and the cumulative flags
      g.Emit(0xd2800000 | (g.Bits(16) & 0x9f) << 5 | 24);  // movz x24, #imm
      g.Emit(0xf2a00000 | (g.Bits(1) ? 0x800u : 0u) << 5 | 24);  // movk x24, #imm, lsl #16
      g.Emit(0xd51b4420 | 24);
      g.Emit(0xd53b4420 | d);
      break;
  }
}

void Barrier(A64Gen& g) {
  static constexpr uint32_t kWords[] = {0xd503201f, 0xd503203f, 0xd503209f, 0xd50320bf, 0xd5033bbf,
                                        0xd5033f9f, 0xd5033fdf, 0xd50339bf, 0xd5033abf, 0xd5033f5f};
  g.Emit(kWords[Uniform(g.rng(), 0, std::size(kWords) - 1)]);
}

void DcZva(A64Gen& g) { g.Emit(0xd50b7420 | kA64AtomicBase); }

void Trap(A64Gen& g) {
  if (g.Bits(1)) {
    g.Emit(0xd4200000 | g.Bits(16) << 5);  // brk
  } else {
    g.Emit(g.Bits(16));  // udf
  }
}

}  // namespace

unsigned A64Gen::Dest() {
  if (Chance(0.03)) return 31;
  return static_cast<unsigned>(Uniform(rng_, 0, 24));
}
unsigned A64Gen::Src() {
  if (Chance(0.05)) return 31;
  return static_cast<unsigned>(Uniform(rng_, 0, 30));
}

void RegisterArm64IntForms(std::vector<A64Form>& out) {
  out.insert(out.end(), {
                            {"add_sub_imm", AddSubImm, 3},
                            {"logical_imm", LogicalImm, 3},
                            {"mov_wide", MovWide, 2},
                            {"adr", Adr, 1},
                            {"bitfield", Bitfield, 3},
                            {"extr", Extr, 1},
                            {"logical_reg", LogicalReg, 3},
                            {"add_sub_shifted", AddSubShifted, 3},
                            {"add_sub_extended", AddSubExtended, 3},
                            {"add_sub_carry", AddSubCarry, 2},
                            {"cond_compare", CondCompare, 3},
                            {"cond_select", CondSelect, 3},
                            {"one_source", OneSource, 2},
                            {"two_source", TwoSource, 2},
                            {"crc32", Crc32, 1},
                            {"mul_add", MulAdd, 2},
                            {"mul_long", MulLong, 1},
                            {"mul_high", MulHigh, 1},
                            {"cond_branch", CondBranch, 3},
                            {"reg_branch", RegBranch, 1},
                            {"load_store", LoadStore, 6},
                            {"load_literal", LoadLiteral, 1},
                            {"pair", Pair, 3},
                            {"exclusive", Exclusive, 2},
                            {"exclusive_pair", ExclusivePair, 1},
                            {"acquire_release", AcquireRelease, 1},
                            {"atomic_op", AtomicOp, 3},
                            {"cas", Cas, 2},
                            {"casp", Casp, 1},
                            {"sysreg", SysReg, 1},
                            {"barrier", Barrier, 1},
                            {"dc_zva", DcZva, 1},
                        });
}

#ifndef POLYVM_A64_FP_SIMD_FORMS
void RegisterArm64FpSimdForms(std::vector<A64Form>&) {}  // no FP/SIMD forms file yet
#endif

const std::vector<A64Form>& A64Forms() {
  static const std::vector<A64Form> kForms = [] {
    std::vector<A64Form> out;
    RegisterArm64IntForms(out);
    RegisterArm64FpSimdForms(out);
    return out;
  }();
  return kForms;
}

// The trap form is not in the list: the generator inserts it rarely by itself.
A64Case GenerateA64Case(Rng& rng, const std::vector<const A64Form*>& forms, unsigned n,
                        const std::string& name) {
  A64Gen g(rng);
  unsigned total = 0;
  for (const A64Form* f : forms) total += f->weight;
  for (unsigned k = 0; k < n; ++k) {
    if (Chance(rng, 0.003)) {
      Trap(g);
      continue;
    }
    uint64_t pick = Uniform(rng, 0, total - 1);
    for (const A64Form* f : forms) {
      if (pick < f->weight) {
        f->emit(g);
        break;
      }
      pick -= f->weight;
    }
  }
  A64Case c;
  c.name = name;
  c.words = g.words();
  c.words.push_back(0xd4200000);  // brk #0
  c.end_pc = kCodeBase + 4 * (c.words.size() - 1);

  for (unsigned r = 0; r < 31; ++r) c.init.x[r] = RandInt(rng);
  c.init.x[kA64AtomicBase] = kDataBase + 0x100;
  c.init.x[kA64Index] = Uniform(rng, 0, 63);
  c.init.x[kA64MemBase] = kDataBase + 0x800;
  c.init.sp = RandInt(rng);
  c.init.nzcv = static_cast<uint32_t>(Uniform(rng, 0, 15)) << 28;
  for (auto& q : c.init.q) q = {RandInt(rng), RandInt(rng)};
  c.init.fpcr = Chance(rng, 0.5) ? static_cast<uint32_t>(Uniform(rng, 0, 3)) << 22 : 0;
  c.init.tpidr = RandInt(rng);
  for (uint8_t& b : c.data) b = static_cast<uint8_t>(Uniform(rng, 0, 255));
  return c;
}

}  // namespace polyvm::diff
