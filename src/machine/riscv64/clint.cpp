// CLINT registers. msip holds only bit 0; mtimecmp and mtime accept 32-bit halves (as RV32
// software and OpenSBI's ACLINT driver may write them) and 64-bit accesses; other sizes and
// offsets read 0 and ignore writes.
#include "polyvm/machine/riscv64/clint.h"

#include <time.h>

namespace polyvm::machine::riscv64 {

uint64_t MachineClock::HostNanos() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000 + static_cast<uint64_t>(ts.tv_nsec);
}

MachineClock::MachineClock() : start_ns_(HostNanos()) {}

uint64_t MachineClock::Ticks() const {
  uint64_t elapsed = HostNanos() - start_ns_;
  return elapsed / (1'000'000'000 / kTimebaseHz) + offset_.load(std::memory_order_relaxed);
}

void MachineClock::SetTicks(uint64_t ticks) {
  uint64_t elapsed = (HostNanos() - start_ns_) / (1'000'000'000 / kTimebaseHz);
  offset_.store(static_cast<int64_t>(ticks - elapsed), std::memory_order_relaxed);
}

uint64_t MachineClock::HostNanosAt(uint64_t ticks) const {
  uint64_t now = Ticks();
  uint64_t host_now = HostNanos();
  if (ticks <= now) return host_now;
  uint64_t delta = ticks - now;
  constexpr uint64_t kNsPerTick = 1'000'000'000 / kTimebaseHz;
  if (delta > (~uint64_t{0} - host_now) / kNsPerTick) return ~uint64_t{0};
  return host_now + delta * kNsPerTick;
}

Clint::Clint(MachineClock& clock, std::vector<HartLines> harts)
    : clock_(clock),
      lines_(std::move(harts)),
      msip_(lines_.size(), 0),
      mtimecmp_(lines_.size(), ~uint64_t{0}) {}

void Clint::UpdateTimer(unsigned hart, uint64_t now) {
  if (lines_[hart].mtip) lines_[hart].mtip->Set(now >= mtimecmp_[hart]);
}

namespace {

// The bytes [offset, offset + size) of a 64-bit register at `base`, if they are one of its
// halves or the whole register: the shift of the accessed part, or -1.
int Part(uint64_t offset, unsigned size, uint64_t base) {
  if (size == 8 && offset == base) return 0;
  if (size == 4 && offset == base) return 0;
  if (size == 4 && offset == base + 4) return 32;
  return -1;
}

uint64_t Merge(uint64_t old, int shift, unsigned size, uint64_t value) {
  if (size == 8) return value;
  uint64_t mask = uint64_t{0xffffffff} << shift;
  return (old & ~mask) | ((value << shift) & mask);
}

}  // namespace

uint64_t Clint::Read(uint64_t offset, unsigned size) {
  std::lock_guard lock(mu_);
  uint64_t harts = lines_.size();
  if (offset < kMsipBase + 4 * harts && size == 4 && offset % 4 == 0) {
    return msip_[offset / 4];
  }
  if (offset >= kMtimecmpBase && offset < kMtimecmpBase + 8 * harts) {
    uint64_t hart = (offset - kMtimecmpBase) / 8;
    int shift = Part(offset, size, kMtimecmpBase + 8 * hart);
    if (shift >= 0) return (mtimecmp_[hart] >> shift) & (size == 8 ? ~uint64_t{0} : 0xffffffff);
  }
  int shift = Part(offset, size, kMtime);
  if (shift >= 0) return (clock_.Ticks() >> shift) & (size == 8 ? ~uint64_t{0} : 0xffffffff);
  return 0;
}

void Clint::Write(uint64_t offset, unsigned size, uint64_t value) {
  std::lock_guard lock(mu_);
  uint64_t harts = lines_.size();
  if (offset < kMsipBase + 4 * harts && size == 4 && offset % 4 == 0) {
    unsigned hart = static_cast<unsigned>(offset / 4);
    msip_[hart] = value & 1;
    if (lines_[hart].msip) lines_[hart].msip->Set(msip_[hart] != 0);
    return;
  }
  if (offset >= kMtimecmpBase && offset < kMtimecmpBase + 8 * harts) {
    unsigned hart = static_cast<unsigned>((offset - kMtimecmpBase) / 8);
    int shift = Part(offset, size, kMtimecmpBase + 8 * hart);
    if (shift < 0) return;
    mtimecmp_[hart] = Merge(mtimecmp_[hart], shift, size, value);
    UpdateTimer(hart, clock_.Ticks());
    return;
  }
  int shift = Part(offset, size, kMtime);
  if (shift >= 0) {
    clock_.SetTicks(Merge(clock_.Ticks(), shift, size, value));
    uint64_t now = clock_.Ticks();
    for (unsigned h = 0; h < harts; ++h) UpdateTimer(h, now);
  }
}

void Clint::Reset() {
  std::lock_guard lock(mu_);
  for (unsigned h = 0; h < lines_.size(); ++h) {
    msip_[h] = 0;
    mtimecmp_[h] = ~uint64_t{0};
    if (lines_[h].msip) lines_[h].msip->Set(false);
    if (lines_[h].mtip) lines_[h].mtip->Set(false);
  }
}

uint64_t Clint::Poll() {
  std::lock_guard lock(mu_);
  uint64_t now = clock_.Ticks();
  uint64_t next = ~uint64_t{0};
  for (unsigned h = 0; h < lines_.size(); ++h) {
    UpdateTimer(h, now);
    if (mtimecmp_[h] > now && mtimecmp_[h] < next) next = mtimecmp_[h];
  }
  return next;
}

}  // namespace polyvm::machine::riscv64
