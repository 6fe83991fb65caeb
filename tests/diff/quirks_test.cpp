// Keeps the Unicorn quirk list honest: each entry's example must still make raw Unicorn deviate
// from the manual (else the entry is stale), and the manual's result must be what the adapted
// Unicorn runner, Debian's qemu-riscv64 7.2 and every polyvm engine produce.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "harness.h"
#include "polyvm_runner.h"
#include "qemu_runner.h"
#include "unicorn_runner.h"

namespace polyvm::diff {
namespace {

std::vector<std::pair<const Quirk*, Case>> Examples() {
  std::vector<std::pair<const Quirk*, Case>> v;
  for (const Quirk& q : UnicornQuirks()) {
    const QuirkExample& e = q.example;
    if (e.insns.empty()) continue;
    v.emplace_back(&q, MakeCase(std::string(q.name), e.insns, e.x, e.f, e.fcsr, e.mem));
  }
  return v;
}

// Empty if the outcome is the manual's result for the quirk's example.
std::string Mismatch(const Quirk& q, const Outcome& o) {
  const QuirkExample& e = q.example;
  if (e.expect_trap) {
    if (o.stop == Stop::kMisaligned && o.pc == kCodeBase) return "";
    return fmt::format(" stopped: {} at {:#x} ({}), manual: misaligned at {:#x}", StopName(o.stop),
                       o.pc, o.detail, kCodeBase);
  }
  uint64_t got = e.expect_fp ? o.regs.f[e.reg] : o.regs.x[e.reg];
  std::string bad;
  if (o.stop != Stop::kEnd)
    bad += fmt::format(" stopped: {} at {:#x} ({})", StopName(o.stop), o.pc, o.detail);
  if (got != e.value)
    bad += fmt::format(" {}{}={:#x}, manual {:#x}", e.expect_fp ? 'f' : 'x', e.reg, got, e.value);
  if (o.regs.fcsr != e.expect_fcsr)
    bad += fmt::format(" fcsr={:#x}, manual {:#x}", o.regs.fcsr, e.expect_fcsr);
  return bad;
}

TEST(UnicornQuirks, RawUnicornStillDeviates) {
  UnicornRunner raw(/*adapt=*/false);
  for (auto& [q, c] : Examples()) {
    EXPECT_FALSE(Mismatch(*q, raw.Run(c)).empty())
        << "Unicorn now follows the manual on '" << q->name << "': drop the entry";
  }
}

TEST(UnicornQuirks, AdaptedUnicornFollowsTheManual) {
  UnicornRunner adapted;
  for (auto& [q, c] : Examples()) {
    if (q->handling != QuirkHandling::kAdapt) continue;
    std::string bad = Mismatch(*q, adapted.Run(c));
    EXPECT_TRUE(bad.empty()) << q->name << ":" << bad;
  }
}

TEST(UnicornQuirks, QemuUser72ConfirmsTheList) {
  std::string why;
  auto qemu = QemuUserRunner::Create(&why);
  if (!qemu) GTEST_SKIP() << why;
  std::vector<std::pair<const Quirk*, Case>> ex = Examples();
  std::vector<Case> cases;
  for (auto& [q, c] : ex) cases.push_back(c);
  std::vector<Outcome> out = qemu->Run(cases);
  for (size_t i = 0; i < ex.size(); ++i) {
    std::string bad = Mismatch(*ex[i].first, out[i]);
    if (ex[i].first->example.qemu72_agrees) {
      EXPECT_TRUE(bad.empty()) << ex[i].first->name << ":" << bad;
    } else {  // documented as shared by QEMU 7.2: keep that claim true too
      EXPECT_FALSE(bad.empty()) << "QEMU 7.2 now follows the manual on " << ex[i].first->name;
    }
  }
}

TEST(UnicornQuirks, PolyvmAgreesWithTheManual) {
  for (const EngineSpec& e : Engines()) {
    PolyvmRunner runner(e.make);
    for (auto& [q, c] : Examples()) {
      std::string bad = Mismatch(*q, runner.Run(c));
      EXPECT_TRUE(bad.empty()) << e.name << ", " << q->name << ":" << bad;
    }
  }
}

}  // namespace
}  // namespace polyvm::diff
