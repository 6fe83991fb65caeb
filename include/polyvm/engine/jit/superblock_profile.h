// The second tier's profile: how often each first-tier JIT block ran and where its exits went,
// counted while its direct exits are left unchained (each run returns to the JIT's Run loop, which
// asks TierHooks::on_link). After `threshold` runs the block is recompiled as a superblock (or
// declined) and its exits chain for good. docs/engines.md, "Superblocks", explains the choice.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace polyvm::engine::jit {

class SuperblockProfile {
 public:
  explicit SuperblockProfile(uint32_t threshold) : threshold_(threshold) {}

  enum class Verdict : uint8_t {
    kLink,   // chain the exit now
    kCount,  // counted; leave it unchained
    kForm,   // counted and the block reached the threshold: form its superblock, then Finish
  };
  // A direct exit of the JIT translation at `pc` ran unchained to `target` (see TierHooks).
  Verdict OnLink(uint64_t pc, uint64_t target, bool superblock);
  // What became of a kForm: built (true) or declined. A built block's profile restarts when a
  // first-tier translation at its pc reports again (its superblock was dropped).
  void Finish(uint64_t pc, bool built);

  // The successor of the block at `pc` its exits reached most often among `a` and `b` (a block
  // ending in a jump passes its target twice); none when neither was counted, or on a tie.
  std::optional<uint64_t> Hotter(uint64_t pc, uint64_t a, uint64_t b) const;
  // Drops what is known of blocks starting in [addr, addr + size).
  void Forget(uint64_t addr, uint64_t size);

  uint64_t runs_counted() const;

 private:
  enum class State : uint8_t { kCounting, kForming, kBuilt, kDeclined };
  static constexpr int kTargets = 3;  // a branch's two directions and one side exit
  struct Entry {
    State state = State::kCounting;
    uint32_t runs = 0;
    uint64_t target[kTargets] = {};
    uint32_t count[kTargets] = {};
  };
  const uint32_t threshold_;
  mutable std::mutex mu_;
  std::unordered_map<uint64_t, Entry> blocks_;
  uint64_t runs_counted_ = 0;
};

}  // namespace polyvm::engine::jit
