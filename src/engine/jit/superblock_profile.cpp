// The second tier's profile. Only first-tier blocks that have not been decided yet are counted,
// and each at most `threshold` times, so the counting is a bounded start-up cost per hot block;
// generated code never counts.
#include "polyvm/engine/jit/superblock_profile.h"

#include <limits>

namespace polyvm::engine::jit {

SuperblockProfile::Verdict SuperblockProfile::OnLink(uint64_t pc, uint64_t target,
                                                     bool superblock) {
  if (superblock || threshold_ == 0) return Verdict::kLink;
  std::lock_guard lock(mu_);
  Entry& e = blocks_[pc];
  switch (e.state) {
    case State::kDeclined: return Verdict::kLink;
    case State::kForming: return Verdict::kCount;  // another vCPU is forming it
    case State::kBuilt: e = Entry{}; break;        // its superblock was dropped: profile anew
    case State::kCounting: break;
  }
  ++runs_counted_;
  for (int k = 0; k < kTargets; ++k) {
    if (e.count[k] == 0 || e.target[k] == target) {
      e.target[k] = target;
      if (e.count[k] < std::numeric_limits<uint32_t>::max()) ++e.count[k];
      break;
    }
  }
  if (++e.runs < threshold_) return Verdict::kCount;
  e.state = State::kForming;
  return Verdict::kForm;
}

void SuperblockProfile::Finish(uint64_t pc, bool built) {
  std::lock_guard lock(mu_);
  blocks_[pc].state = built ? State::kBuilt : State::kDeclined;
}

std::optional<uint64_t> SuperblockProfile::Hotter(uint64_t pc, uint64_t a, uint64_t b) const {
  std::lock_guard lock(mu_);
  auto it = blocks_.find(pc);
  if (it == blocks_.end()) return std::nullopt;
  auto count = [&](uint64_t t) -> uint32_t {
    for (int k = 0; k < kTargets; ++k) {
      if (it->second.count[k] != 0 && it->second.target[k] == t) return it->second.count[k];
    }
    return 0;
  };
  const uint32_t ca = count(a), cb = a == b ? 0 : count(b);
  if (ca == cb) return std::nullopt;
  return ca > cb ? a : b;
}

void SuperblockProfile::Forget(uint64_t addr, uint64_t size) {
  std::lock_guard lock(mu_);
  const uint64_t end = addr + size < addr ? std::numeric_limits<uint64_t>::max() : addr + size;
  std::erase_if(blocks_, [&](const auto& kv) {
    return kv.first >= addr && kv.first < end && kv.second.state != State::kForming;
  });
}

uint64_t SuperblockProfile::runs_counted() const {
  std::lock_guard lock(mu_);
  return runs_counted_;
}

}  // namespace polyvm::engine::jit
