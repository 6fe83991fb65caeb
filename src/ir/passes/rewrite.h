// Tools the passes share: replacing uses of one value by another, and dropping instructions while
// renumbering the values that remain.
#pragma once

#include <vector>

#include "polyvm/ir/block.h"

namespace polyvm::ir::passes::detail {

// Which value stands for each value (itself unless Set). Passes rewrite operands in a forward walk,
// so a replacement is always already resolved when it is recorded and chains never form.
class Replacements {
 public:
  explicit Replacements(size_t count);

  void Set(ValueId from, ValueId to) { to_[from] = to; }
  ValueId operator()(ValueId v) const { return v == kNoValue || v >= to_.size() ? v : to_[v]; }

  void ApplyToArgs(Inst& inst) const;
  // The main exit's and the side exits' values.
  void ApplyToExits(Block& block) const;

 private:
  std::vector<ValueId> to_;
};

// `in` without the instructions whose `keep` is false; the rest keep their order and are
// renumbered. No kept instruction or exit may use a dropped value.
Block Compact(const Block& in, const std::vector<bool>& keep);

// Same instructions and exits, field by field.
bool SameCode(const Block& a, const Block& b);

}  // namespace polyvm::ir::passes::detail
