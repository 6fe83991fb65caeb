// Evaluation of a pure integer op on constant operands, by ir/semantics/int.h.
#pragma once

#include <optional>

#include "polyvm/ir/block.h"
#include "polyvm/ir/semantics/int.h"

namespace polyvm::ir::passes::detail {

// All ones in the low BitWidth(t) bits (t up to 128 bits).
constexpr sem::U128 Mask128(Type t) {
  unsigned w = BitWidth(t);
  return w >= 128 ? ~sem::U128{0} : (sem::U128{1} << w) - 1;
}

// The result of `inst` for operand values `args` (zero-extended, of the operand types given),
// zero-extended to 128 bits; nullopt for ops it does not evaluate (FP, vector, effects).
std::optional<sem::U128> EvaluateConst(const Inst& inst, const sem::U128 args[3],
                                       const Type arg_types[3]);

}  // namespace polyvm::ir::passes::detail
