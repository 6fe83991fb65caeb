// Dead code elimination: one backward walk marks what is used, Compact drops the rest.
#include "polyvm/ir/passes/dce.h"

#include "rewrite.h"

namespace polyvm::ir::passes {

Block EliminateDeadCode(const Block& in) {
  const size_t n = in.insts.size();
  std::vector<bool> keep(n, false);
  auto use = [&keep, n](ValueId v) {
    if (v != kNoValue && v < n) keep[v] = true;
  };
  use(in.exit.value);
  for (const Exit& e : in.side_exits) use(e.value);
  for (size_t i = n; i-- > 0;) {
    const Inst& inst = in.insts[i];
    if (!IsRemovable(inst.op)) keep[i] = true;
    if (!keep[i]) continue;
    for (ValueId a : inst.args) use(a);
  }
  return detail::Compact(in, keep);
}

}  // namespace polyvm::ir::passes
