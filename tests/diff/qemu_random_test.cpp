// Random differential testing against the second reference, qemu-riscv64 7.2 in user mode
// (qemu_runner.h): every Unicorn profile once more -- no adapters here, so this also checks the
// Unicorn adapters' rules -- and the Zba/Zbb/Zbs profile Unicorn cannot run. Skipped, visibly, when
// qemu-riscv64 or the riscv64 cross compiler is missing. Same environment knobs as random_test.cpp.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>

#include "compare.h"
#include "harness.h"
#include "polyvm_runner.h"
#include "qemu_runner.h"
#include "unicorn_quirks.h"

namespace polyvm::diff {
namespace {

constexpr uint64_t kDefaultSeed = 0x9e3779b9;
constexpr unsigned kMaxReports = 3;

std::vector<Profile> Profiles() {
  std::vector<Profile> ps = RandomProfiles();
  for (Profile& p : QemuOnlyProfiles()) ps.push_back(std::move(p));
  return ps;
}

unsigned DefaultCases(const std::string& name) {
  return name == "bitmanip" ? 3000 : name == "long" ? 200 : 600;
}

class QemuDiff : public ::testing::TestWithParam<size_t> {};

TEST_P(QemuDiff, AgreesWithQemuUser) {
  std::string why;
  std::unique_ptr<QemuUserRunner> qemu = QemuUserRunner::Create(&why);
  if (!qemu) GTEST_SKIP() << why;
  const Profile profile = Profiles()[GetParam()];
  const uint64_t base = BaseSeed(kDefaultSeed);
  const unsigned count = CaseCount(DefaultCases(profile.name));
  const std::optional<unsigned> only = OnlyCase();

  std::vector<Case> cases;
  std::vector<unsigned> index;
  for (unsigned i = 0; i < count; ++i) {
    if (only && *only != i) continue;
    cases.push_back(Generate(profile, CaseSeed(base, "qemu-" + profile.name, i)));
    cases.back().name = fmt::format("{} #{}", profile.name, i);
    index.push_back(i);
  }
  std::vector<Outcome> refs = qemu->Run(cases);
  std::vector<EngineSpec> engines = Engines();
  std::vector<std::unique_ptr<PolyvmRunner>> runners;
  for (const EngineSpec& e : engines) runners.push_back(std::make_unique<PolyvmRunner>(e.make));
  unsigned reports = 0;
  std::array<unsigned, 7> stops{};
  for (size_t n = 0; n < cases.size() && reports < kMaxReports; ++n) {
    const Case& c = cases[n];
    const Outcome& ref = refs[n];
    ++stops[static_cast<size_t>(ref.stop)];
    const std::string repro = fmt::format(
        "reproduce: POLYVM_DIFF_SEED={:#x} POLYVM_DIFF_CASE={} --gtest_filter='*QemuDiff*/{}'",
        base, index[n], profile.name);
    if (ref.stop == Stop::kError || ref.stop == Stop::kTimeout) {
      ADD_FAILURE() << "qemu-user could not run case " << c.name << ": " << ref.detail << "\n"
                    << repro;
      ++reports;
      continue;
    }
    for (size_t k = 0; k < engines.size(); ++k) {
      Outcome got = runners[k]->Run(c);
      std::string d = Compare(ref, got);
      if (d.empty()) continue;
      ADD_FAILURE() << Report(c, runners[k]->Listing(c), {"qemu-user", &ref},
                              {engines[k].name.c_str(), &got}, d)
                    << repro;
      ++reports;
      break;
    }
  }
  std::string summary =
      fmt::format("{}: {} cases x {} engines against qemu-user (seed {:#x}); stops:", profile.name,
                  cases.size(), engines.size(), base);
  for (size_t s = 0; s < stops.size(); ++s) {
    if (stops[s] != 0) summary += fmt::format(" {} {}", StopName(static_cast<Stop>(s)), stops[s]);
  }
  std::printf("%s\n", summary.c_str());
}

INSTANTIATE_TEST_SUITE_P(Profiles, QemuDiff, ::testing::Range<size_t>(0, Profiles().size()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return Profiles()[info.param].name;
                         });

// The encoder's Zba/Zbb/Zbs rows, checked the way generator_test.cpp checks the others in Unicorn.
TEST(QemuGenerator, EveryBitmanipFormRunsInQemu) {
  std::string why;
  std::unique_ptr<QemuUserRunner> qemu = QemuUserRunner::Create(&why);
  if (!qemu) GTEST_SKIP() << why;
  std::vector<Case> cases;
  for (const Form& f : AllForms()) {
    if (f.ext != Ext::kB) continue;
    Profile p;
    p.name = "only";
    p.only_form = std::string(f.name);
    p.min_insns = p.max_insns = 4;
    p.illegal_prob = p.bad_frm_prob = p.ebreak_prob = p.reserved_prob = p.misaligned_prob = 0;
    for (unsigned i = 0; i < 4; ++i) {
      cases.push_back(Generate(p, CaseSeed(5, p.only_form, i)));
      cases.back().name = p.only_form;
    }
  }
  std::vector<Outcome> out = qemu->Run(cases);
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(out[i].stop, Stop::kEnd)
        << cases[i].name << ": " << StopName(out[i].stop) << " (" << out[i].detail << ")";
  }
}

// The qemu-user quirk list stays true, and polyvm follows the manual there.
TEST(QemuQuirks, StillDeviateAndPolyvmFollowsTheManual) {
  std::string why;
  std::unique_ptr<QemuUserRunner> qemu = QemuUserRunner::Create(&why);
  std::vector<Case> cases;
  for (const Quirk& q : QemuUserQuirks()) {
    const QuirkExample& e = q.example;
    cases.push_back(MakeCase(std::string(q.name), e.insns, e.x, e.f, e.fcsr, e.mem));
  }
  auto check = [&](const Quirk& q, const Outcome& o) {
    uint64_t got = q.example.expect_fp ? o.regs.f[q.example.reg] : o.regs.x[q.example.reg];
    return o.stop == Stop::kEnd && got == q.example.value && o.regs.fcsr == q.example.expect_fcsr;
  };
  for (const EngineSpec& e : Engines()) {
    PolyvmRunner runner(e.make);
    for (size_t i = 0; i < cases.size(); ++i) {
      EXPECT_TRUE(check(QemuUserQuirks()[i], runner.Run(cases[i])))
          << e.name << ", " << cases[i].name;
    }
  }
  if (!qemu) GTEST_SKIP() << why;
  std::vector<Outcome> out = qemu->Run(cases);
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_FALSE(check(QemuUserQuirks()[i], out[i]))
        << "QEMU now follows the manual on " << cases[i].name << ": drop the entry";
  }
}

}  // namespace
}  // namespace polyvm::diff
