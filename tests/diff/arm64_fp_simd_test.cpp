// Random differential testing of the AArch64 FP and AdvSIMD lifts against Unicorn 2: sequences of
// the forms of arm64_fp_simd_forms.cpp (by family), with V registers holding lanes of every IEEE
// class, random FPCR rounding modes and FPSR flags, run in Unicorn and in every polyvm engine;
// X registers, NZCV, V registers, FPCR, FPSR (IEEE flags and QC) and the data page must agree.
//
// Reproduce a failure with the line the report prints, e.g.
//   POLYVM_DIFF_SEED=0x5eed POLYVM_DIFF_CASE=17 diff_arm64_unicorn_tests
//   --gtest_filter='*fp_scalar*'
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "arm64_compare.h"
#include "arm64_forms.h"
#include "arm64_runners.h"
#include "harness.h"

namespace polyvm::diff {

void RandomizeArm64FpState(Rng& rng, A64Regs& regs);       // arm64_fp_simd_forms.cpp
void RandomizeArm64IntEdgeState(Rng& rng, A64Regs& regs);  // arm64_fp_simd_forms.cpp

namespace {

constexpr uint64_t kDefaultSeed = 0xf95d;
constexpr unsigned kMaxReports = 3;

struct Profile {
  const char* name;
  unsigned cases;
  unsigned min_insns, max_insns;
  std::vector<std::string> only;
  bool int_edges = false;  // V registers of saturation-edge integer lanes instead of FP classes
  // FPCR.FZ and FPCR.DN, each set at random in the initial FPCR (which Arm64Lifter::AssumeFpcr
  // tells polyvm's translations) when true; the `fpcr_fzdn` form also writes them mid-sequence.
  bool fz_dn = false;
};

std::vector<Profile> Profiles() {
  return {
      {"fp_scalar",
       2500,
       1,
       12,
       {"fp_dp1", "fp_dp2", "fp_dp3", "fp_cmp", "fp_ccmp", "fp_csel", "fp_imm", "fp_to_int",
        "int_to_fp", "fmov_gpr", "fp_fixed"}},
      {"simd_int",
       2000,
       1,
       12,
       {"simd_3same_int", "simd_logic", "simd_scalar_3same", "simd_misc_int", "simd_scalar_misc",
        "simd_across", "simd_pair_scalar", "simd_shift_imm", "simd_scalar_shift", "simd_3diff",
        "simd_by_element"}},
      {"simd_fp",
       2000,
       1,
       12,
       {"simd_3same_fp", "simd_misc_fp", "simd_fcvt_long", "simd_fp_across", "simd_pair_scalar",
        "simd_by_element", "simd_shift_imm", "simd_scalar_shift"}},
      {"simd_move",
       1500,
       1,
       12,
       {"simd_copy", "simd_permute", "simd_ext", "simd_tbl", "simd_mod_imm"}},
      {"simd_mem", 1500, 1, 12, {"simd_ldst_multi", "simd_ldst_lane", "simd_logic"}},
      {"simd_sat", 2000, 1, 8, {"simd_sat", "simd_3same_int", "simd_sat_scalar"}, true},
      {"simd_fp_est",
       2000,
       1,
       8,
       {"simd_fp_est", "fp_half", "simd_3same_fp", "simd_fmulx_elem", "fp_frecpx"}},
      // FPCR.FZ/DN: the forms whose ops take ftz/dn (not the estimates, FMULX, FRECPS/FRSQRTS
      // and half-precision conversions, which trap as unsupported under FZ or DN).
      {"fp_scalar_fzdn",
       2500,
       1,
       12,
       {"fp_dp1", "fp_dp2", "fp_dp3", "fp_cmp", "fp_ccmp", "fp_to_int", "int_to_fp", "fp_fixed",
        "fp_frecpx", "fpcr_fzdn"},
       false,
       true},
      {"simd_fp_fzdn",
       2000,
       1,
       12,
       {"simd_3same_fp", "simd_misc_fp", "simd_fcvt_long", "simd_fp_across", "simd_pair_scalar",
        "simd_by_element", "fpcr_fzdn"},
       false,
       true},
  };
}

class A64FpSimdDiff : public ::testing::TestWithParam<size_t> {};

TEST_P(A64FpSimdDiff, AgreesWithUnicorn) {
  const Profile profile = Profiles()[GetParam()];
  std::vector<const A64Form*> forms;
  for (const A64Form& f : A64Forms()) {
    for (const std::string& n : profile.only) {
      if (n == f.name) forms.push_back(&f);
    }
  }
  ASSERT_EQ(forms.size(), profile.only.size()) << "a form of the profile is not registered";
  const uint64_t base = BaseSeed(kDefaultSeed);
  const unsigned count = CaseCount(profile.cases);
  const std::optional<unsigned> only = OnlyCase();

  std::vector<EngineSpec> engines = Engines();
  std::vector<std::unique_ptr<A64PolyvmRunner>> runners;
  for (const EngineSpec& e : engines) runners.push_back(std::make_unique<A64PolyvmRunner>(e.make));

  unsigned failures = 0, ended = 0;
  for (unsigned k = 0; k < count; ++k) {
    if (only && *only != k) continue;
    uint64_t seed = CaseSeed(base, profile.name, k);
    Rng rng(seed);
    unsigned n = static_cast<unsigned>(Uniform(rng, profile.min_insns, profile.max_insns));
    A64Case c = GenerateA64Case(rng, forms, n, fmt::format("{}#{}", profile.name, k));
    if (profile.int_edges) {
      RandomizeArm64IntEdgeState(rng, c.init);
    } else {
      RandomizeArm64FpState(rng, c.init);
    }
    if (profile.fz_dn) {
      c.init.fpcr |= (Chance(rng, 0.7) ? 1u << 24 : 0u) | (Chance(rng, 0.5) ? 1u << 25 : 0u);
    }
    // The runner starts a fresh Unicorn per case: an exception taken in one case leaves its CPU
    // at EL1 with state (SPSR, vector pc, FP traps) that would leak into the next one.
    A64Outcome want = A64UnicornRunner().Run(c);
    if (want.stop == Stop::kEnd) ++ended;
    for (size_t e = 0; e < runners.size(); ++e) {
      A64Outcome got = runners[e]->Run(c);
      std::string diff = A64Differences(c, want, got);
      if (diff.empty()) continue;
      if (++failures <= kMaxReports) {
        ADD_FAILURE() << fmt::format(
            "case {} (engine {}) differs from Unicorn (unicorn / polyvm):\n{}"
            "reproduce: POLYVM_DIFF_SEED={:#x} POLYVM_DIFF_CASE={} --gtest_filter='*{}*'\n{}",
            c.name, engines[e].name, diff, base, k, profile.name, runners[e]->Listing(c));
      }
      break;
    }
  }
  EXPECT_EQ(failures, 0u) << "cases differing from Unicorn in profile " << profile.name;
  if (!only) {
    EXPECT_GT(ended, count / 2) << "too few cases reached their end";
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, A64FpSimdDiff, ::testing::Range<size_t>(0, Profiles().size()),
                         [](const testing::TestParamInfo<size_t>& info) {
                           return std::string(Profiles()[info.param].name);
                         });

}  // namespace
}  // namespace polyvm::diff
