// The handler ids and the row table generated from handlers.def, and the queries lowering uses to
// pick a handler: which operand kinds an op accepts, and the handler for a full combination.
#pragma once

#include <cstdint>
#include <string_view>

#include "handler_shapes.h"
#include "lowered.h"
#include "polyvm/ir/type.h"

namespace polyvm::engine::interp {

enum HandlerId : uint16_t {
#define R(name, ...) kH_##name,
#include "handlers.def"
#undef R
  kHandlerCount
};

struct HandlerRow {
  XOp op;
  ir::Type type, type2;
  K kinds[4];  // d, a, b, c
  std::string_view name;
};

extern const HandlerRow kHandlerRows[kHandlerCount];

inline constexpr uint8_t KindBit(K k) { return static_cast<uint8_t>(1u << static_cast<unsigned>(k)); }

// The handler for exactly this combination, or -1. Rows with type2 == kVoid match any type2.
int FindHandler(XOp op, ir::Type type, ir::Type type2, const K kinds[4]);

// The kinds (a KindBit mask) operand `index` (0 = d, 1 = a, 2 = b, 3 = c) may take in some
// handler of (op, type, type2); 0 if the op has no handler for these types. Each family offers the
// full product of its per-operand kinds, so any combination of allowed kinds has a handler.
uint8_t KindMask(XOp op, ir::Type type, ir::Type type2, unsigned index);

// True if some handler exists for (op, type, type2).
inline bool HasHandler(XOp op, ir::Type type, ir::Type type2) {
  return KindMask(op, type, type2, 0) != 0;
}

std::string_view XOpName(XOp op);

}  // namespace polyvm::engine::interp
