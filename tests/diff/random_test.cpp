// Random differential testing: each profile's cases (generator.h) run in Unicorn -- with the
// manual's rule applied where unicorn_quirks.h says Unicorn deviates -- and in every polyvm engine
// (engines.cpp); registers, fcsr, the data page and the stop must agree.
//
// Reproduce a failure with the line the report prints, e.g.
//   POLYVM_DIFF_SEED=0x5eed POLYVM_DIFF_CASE=17 diff_riscv64_unicorn_tests --gtest_filter='*fp'
// POLYVM_DIFF_SCALE=10 runs ten times as many cases; POLYVM_DIFF_ENGINE=interp one engine only;
// POLYVM_DIFF_RAW_UNICORN=1 compares with Unicorn as it is, without the quirk adapters.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <map>

#include "compare.h"
#include "harness.h"
#include "polyvm_runner.h"
#include "unicorn_runner.h"

namespace polyvm::diff {
namespace {

constexpr uint64_t kDefaultSeed = 0x5eed2024;
constexpr unsigned kMaxReports = 3;

// Cases per profile and run (a ctest run of all profiles and engines stays well under a minute).
unsigned DefaultCases(const std::string& profile) {
  static const std::map<std::string, unsigned> kCases = {
      {"straight", 2500},   {"branches", 2000}, {"fp", 2500},       {"memory", 2000},
      {"compressed", 1500}, {"long", 500},      {"constants", 1500}};
  auto it = kCases.find(profile);
  return it == kCases.end() ? 500 : it->second;
}

std::vector<EngineSpec> SelectedEngines() {
  std::vector<EngineSpec> all = Engines();
  const char* only = std::getenv("POLYVM_DIFF_ENGINE");
  if (only == nullptr || *only == 0) return all;
  std::vector<EngineSpec> out;
  for (EngineSpec& e : all) {
    if (e.name == only) out.push_back(std::move(e));
  }
  return out;
}

class RandomDiff : public ::testing::TestWithParam<size_t> {};

TEST_P(RandomDiff, AgreesWithUnicorn) {
  const Profile profile = RandomProfiles()[GetParam()];
  const uint64_t base = BaseSeed(kDefaultSeed);
  const unsigned count = CaseCount(DefaultCases(profile.name));
  const std::optional<unsigned> only = OnlyCase();
  std::vector<EngineSpec> engines = SelectedEngines();
  ASSERT_FALSE(engines.empty()) << "POLYVM_DIFF_ENGINE names no engine";

  // POLYVM_DIFF_RAW_UNICORN=1 turns the quirk adapters off (to see what Unicorn itself does).
  const char* raw = std::getenv("POLYVM_DIFF_RAW_UNICORN");
  UnicornRunner unicorn(/*adapt=*/raw == nullptr || *raw == 0 || *raw == '0');
  std::vector<std::unique_ptr<PolyvmRunner>> runners;
  for (const EngineSpec& e : engines) runners.push_back(std::make_unique<PolyvmRunner>(e.make));

  std::array<unsigned, 7> stops{};
  unsigned reports = 0, ran = 0;
  for (unsigned i = 0; i < count && reports < kMaxReports; ++i) {
    if (only && *only != i) continue;
    Case c = Generate(profile, CaseSeed(base, profile.name, i));
    c.name = fmt::format("{} #{}", profile.name, i);
    const std::string repro = fmt::format(
        "reproduce: POLYVM_DIFF_SEED={:#x} POLYVM_DIFF_CASE={} "
        "--gtest_filter='*RandomDiff*/{}'",
        base, i, profile.name);
    Outcome ref = unicorn.Run(c);
    ++ran;
    ++stops[static_cast<size_t>(ref.stop)];
    if (ref.stop == Stop::kError || ref.stop == Stop::kTimeout) {
      ADD_FAILURE() << "Unicorn could not run case " << c.name << " (" << StopName(ref.stop) << ": "
                    << ref.detail << ")\n"
                    << runners[0]->Listing(c) << repro;
      ++reports;
      continue;
    }
    for (size_t k = 0; k < engines.size(); ++k) {
      Outcome got = runners[k]->Run(c);
      std::string d = Compare(ref, got);
      if (d.empty()) continue;
      ADD_FAILURE() << Report(c, runners[k]->Listing(c), {"unicorn", &ref},
                              {engines[k].name.c_str(), &got}, d)
                    << repro;
      ++reports;
      break;
    }
  }
  // A summary in the test log: what the cases exercised and which adapters fired.
  std::string summary = fmt::format("{}: {} cases x {} engines (seed {:#x}); stops:", profile.name,
                                    ran, engines.size(), base);
  for (size_t s = 0; s < stops.size(); ++s) {
    if (stops[s] != 0) summary += fmt::format(" {} {}", StopName(static_cast<Stop>(s)), stops[s]);
  }
  summary += "; Unicorn adapters applied:";
  for (size_t q = 0; q < unicorn.adapted().size(); ++q) {
    summary += fmt::format(" {} {}", QuirkInfo(static_cast<QuirkId>(q)).name, unicorn.adapted()[q]);
  }
  std::printf("%s\n", summary.c_str());
  if (reports >= kMaxReports) std::printf("stopped after %u failing cases\n", reports);
}

INSTANTIATE_TEST_SUITE_P(Profiles, RandomDiff, ::testing::Range<size_t>(0, RandomProfiles().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return RandomProfiles()[info.param].name;
                         });

}  // namespace
}  // namespace polyvm::diff
