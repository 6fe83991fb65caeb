// Dead guest-register-write elimination: a backward walk tracking which state bytes are certain
// to be overwritten before any observer.
#include "polyvm/ir/passes/dead_writes.h"

#include <algorithm>
#include <utility>

#include "rewrite.h"

namespace polyvm::ir::passes {
namespace {

// A set of state bytes as disjoint half-open ranges.
class ByteSet {
 public:
  bool Covers(uint64_t lo, uint64_t hi) const {
    for (uint64_t b = lo; b < hi; ++b) {
      bool in = std::any_of(ranges_.begin(), ranges_.end(),
                            [b](const auto& r) { return r.first <= b && b < r.second; });
      if (!in) return false;
    }
    return true;
  }
  void Add(uint64_t lo, uint64_t hi) {
    Remove(lo, hi);
    ranges_.emplace_back(lo, hi);
  }
  void Remove(uint64_t lo, uint64_t hi) {
    std::vector<std::pair<uint64_t, uint64_t>>& rest = spare_;  // keeps its capacity
    rest.clear();
    for (auto [a, b] : ranges_) {
      if (b <= lo || hi <= a) {
        rest.emplace_back(a, b);
        continue;
      }
      if (a < lo) rest.emplace_back(a, lo);
      if (hi < b) rest.emplace_back(hi, b);
    }
    ranges_.swap(rest);
  }
  void Clear() { ranges_.clear(); }

 private:
  std::vector<std::pair<uint64_t, uint64_t>> ranges_, spare_;
};

}  // namespace

Block EliminateDeadStateWrites(const Block& in) {
  const size_t n = in.insts.size();
  std::vector<bool> keep(n, true);
  ByteSet overwritten;  // bytes written later with no observer in between
  for (size_t i = n; i-- > 0;) {
    const Inst& inst = in.insts[i];
    if (inst.op == Opcode::kSetReg) {
      uint64_t lo = inst.imm, hi = lo + ByteSize(in.TypeOf(inst.args[0]));
      if (overwritten.Covers(lo, hi)) {
        keep[i] = false;
      } else {
        overwritten.Add(lo, hi);
      }
    } else if (inst.op == Opcode::kGetReg) {
      overwritten.Remove(inst.imm, inst.imm + ByteSize(inst.type));
    } else if (MayLeaveBlock(inst.op) || (Info(inst.op).props & kReadsState)) {
      overwritten.Clear();
    }
  }
  return detail::Compact(in, keep);
}

}  // namespace polyvm::ir::passes
