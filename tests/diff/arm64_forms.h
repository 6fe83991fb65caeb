// Random AArch64 test cases: instruction forms (each a function that appends one or a few
// encoded instructions, with operands drawn so that memory accesses stay in the data page) and the
// case generator. Register conventions, so that addresses stay valid:
//   x0..x24   destinations and sources (x31 as the zero register now and then)
//   x25       a 64-byte-aligned pointer into the data page, never written (exclusives, atomics)
//   x26       a small index (0..63), never written (register-offset addressing)
//   x27       a pointer into the middle of the data page; only the indexed forms move it
//   x28..x30  sources only (x30 also written by BL/BLR)
// FP/SIMD forms register themselves from arm64_fp_simd_forms.cpp (RegisterArm64FpSimdForms).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arm64_case.h"
#include "values.h"

namespace polyvm::diff {

inline constexpr unsigned kA64AtomicBase = 25;
inline constexpr unsigned kA64Index = 26;
inline constexpr unsigned kA64MemBase = 27;

// What a form draws its operands from.
class A64Gen {
 public:
  explicit A64Gen(Rng& rng) : rng_(rng) {}
  Rng& rng() { return rng_; }
  uint32_t Bits(unsigned n) { return static_cast<uint32_t>(Uniform(rng_, 0, (1ull << n) - 1)); }
  bool Chance(double p) { return diff::Chance(rng_, p); }
  unsigned Dest();                  // x0..x24, sometimes 31
  unsigned Src();                   // x0..x30, sometimes 31
  unsigned V() { return Bits(5); }  // any V register
  // Appends an instruction; the case generator appends the forms' words in order.
  void Emit(uint32_t word) { words_.push_back(word); }
  std::vector<uint32_t>& words() { return words_; }

 private:
  Rng& rng_;
  std::vector<uint32_t> words_;
};

struct A64Form {
  std::string name;
  void (*emit)(A64Gen& g);
  unsigned weight = 1;
};

// The integer, branch, system and load/store forms (arm64_forms.cpp).
void RegisterArm64IntForms(std::vector<A64Form>& out);
// The FP/SIMD forms, when tests/diff/arm64_fp_simd_forms.cpp exists (the build defines
// POLYVM_A64_FP_SIMD_FORMS then).
void RegisterArm64FpSimdForms(std::vector<A64Form>& out);

// All registered forms.
const std::vector<A64Form>& A64Forms();

// A case of `n` random items drawn from `forms` (by weight), with random registers, flags and
// data, ending in BRK #0.
A64Case GenerateA64Case(Rng& rng, const std::vector<const A64Form*>& forms, unsigned n,
                        const std::string& name);

}  // namespace polyvm::diff
