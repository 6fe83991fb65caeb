// Random differential testing of the AArch64 frontend: random sequences of the forms of
// arm64_forms.cpp (and arm64_fp_simd_forms.cpp) with random registers, flags and data, run in
// Unicorn 2 and in every polyvm engine (engines.cpp); registers, NZCV, FPCR/FPSR, TPIDR_EL0, the
// data page and how the run stopped must agree.
//
// Reproduce a failure with the line the report prints, e.g.
//   POLYVM_DIFF_SEED=0x5eed POLYVM_DIFF_CASE=17 diff_arm64_unicorn_tests --gtest_filter='*mixed*'
// POLYVM_DIFF_SCALE=10 runs ten times as many cases.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "arm64_compare.h"
#include "arm64_forms.h"
#include "arm64_runners.h"
#include "harness.h"

namespace polyvm::diff {
namespace {

constexpr uint64_t kDefaultSeed = 0xa64a64;
constexpr unsigned kMaxReports = 3;

struct Profile {
  const char* name;
  unsigned cases;
  unsigned min_insns, max_insns;
  std::vector<std::string> only;  // form names; empty: all forms
};

std::vector<Profile> Profiles() {
  return {
      {"mixed", 3000, 1, 24, {}},
      {"data_processing",
       2000,
       1,
       16,
       {"add_sub_imm", "logical_imm", "mov_wide", "bitfield", "extr", "logical_reg",
        "add_sub_shifted", "add_sub_extended", "add_sub_carry", "cond_compare", "cond_select",
        "one_source", "two_source", "crc32", "mul_add", "mul_long", "mul_high"}},
      {"memory",
       2000,
       1,
       16,
       {"load_store", "load_literal", "pair", "exclusive", "exclusive_pair", "acquire_release",
        "atomic_op", "cas", "casp", "dc_zva", "add_sub_imm", "logical_reg"}},
      {"control",
       1500,
       1,
       16,
       {"cond_branch", "reg_branch", "add_sub_shifted", "cond_compare", "sysreg", "barrier",
        "add_sub_imm"}},
  };
}

class A64RandomDiff : public ::testing::TestWithParam<size_t> {};

TEST_P(A64RandomDiff, AgreesWithUnicorn) {
  const Profile profile = Profiles()[GetParam()];
  std::vector<const A64Form*> forms;
  for (const A64Form& f : A64Forms()) {
    // "All forms" leaves out fpcr_fzdn: under FPCR.FZ/DN some instructions trap as unsupported
    // (docs/arm64.md), so that form runs only in the *_fzdn profiles of arm64_fp_simd_test.cpp.
    bool wanted = profile.only.empty() && f.name != "fpcr_fzdn";
    for (const std::string& n : profile.only) wanted |= n == f.name;
    if (wanted) forms.push_back(&f);
  }
  ASSERT_FALSE(forms.empty());
  const uint64_t base = BaseSeed(kDefaultSeed);
  const unsigned count = CaseCount(profile.cases);
  const std::optional<unsigned> only = OnlyCase();

  A64UnicornRunner unicorn;
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
    A64Outcome want = unicorn.Run(c);
    if (want.stop == Stop::kEnd) ++ended;
    for (size_t e = 0; e < runners.size(); ++e) {
      A64Outcome got = runners[e]->Run(c);
      std::string diff = A64Differences(c, want, got);
      if (diff.empty()) continue;
      if (++failures <= kMaxReports) {
        ADD_FAILURE() << fmt::format(
            "case {} (engine {}) differs from Unicorn (unicorn / polyvm):\n{}"
            "reproduce: POLYVM_DIFF_SEED={:#x} POLYVM_DIFF_CASE={} "
            "--gtest_filter='*{}*'\n{}",
            c.name, engines[e].name, diff, base, k, profile.name, runners[e]->Listing(c));
      }
      break;
    }
  }
  EXPECT_EQ(failures, 0u) << "cases differing from Unicorn in profile " << profile.name;
  // Most cases run to the end: a generator that made every case trap would test nothing.
  if (!only) {
    EXPECT_GT(ended, count / 2) << "too few cases reached their end";
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, A64RandomDiff, ::testing::Range<size_t>(0, Profiles().size()),
                         [](const testing::TestParamInfo<size_t>& info) {
                           return std::string(Profiles()[info.param].name);
                         });

}  // namespace
}  // namespace polyvm::diff
