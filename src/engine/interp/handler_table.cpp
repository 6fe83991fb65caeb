// The handler row table and its lookups (see handler_table.h).
#include "handler_table.h"

#include <array>
#include <vector>

namespace polyvm::engine::interp {

const HandlerRow kHandlerRows[kHandlerCount] = {
#define R(name, xop, t, t2, kd, ka, kb, kc, ...) \
  {XOp::k##xop, ir::Type::k##t, ir::Type::k##t2, {K::kd, K::ka, K::kb, K::kc}, #name},
#include "handlers.def"
#undef R
};

namespace {

constexpr unsigned kXOpCount = static_cast<unsigned>(XOp::kCount);

// Row ids per op, so a lookup scans a handful of rows.
const std::array<std::vector<uint16_t>, kXOpCount>& RowsByOp() {
  static const auto* table = [] {
    auto* t = new std::array<std::vector<uint16_t>, kXOpCount>();
    for (unsigned i = 0; i < kHandlerCount; ++i) {
      (*t)[static_cast<unsigned>(kHandlerRows[i].op)].push_back(static_cast<uint16_t>(i));
    }
    return t;
  }();
  return *table;
}

bool TypesMatch(const HandlerRow& row, ir::Type type, ir::Type type2) {
  return row.type == type && (row.type2 == ir::Type::kVoid || row.type2 == type2);
}

}  // namespace

int FindHandler(XOp op, ir::Type type, ir::Type type2, const K kinds[4]) {
  for (uint16_t id : RowsByOp()[static_cast<unsigned>(op)]) {
    const HandlerRow& row = kHandlerRows[id];
    if (!TypesMatch(row, type, type2)) continue;
    if (row.kinds[0] == kinds[0] && row.kinds[1] == kinds[1] && row.kinds[2] == kinds[2] &&
        row.kinds[3] == kinds[3]) {
      return id;
    }
  }
  return -1;
}

uint8_t KindMask(XOp op, ir::Type type, ir::Type type2, unsigned index) {
  uint8_t mask = 0;
  for (uint16_t id : RowsByOp()[static_cast<unsigned>(op)]) {
    const HandlerRow& row = kHandlerRows[id];
    if (TypesMatch(row, type, type2)) mask |= KindBit(row.kinds[index]);
  }
  return mask;
}

std::string_view XOpName(XOp op) {
  static constexpr std::string_view kExtra[] = {
      "Mov",      "CmpGtS",    "CmpGtU",    "CmpGeS",     "CmpGeU",       "LoadZx",
      "LoadSx",   "LoadA",     "StoreA",    "FenceFull",  "FenceCompiler", "BrEq",
      "BrLtS",    "BrLtU",     "BrLeS",     "BrLeU",      "ExitIfEq",     "ExitIfLtS",
      "ExitIfLtU", "ExitIfLeS", "ExitIfLeU", "ExitJump",  "ExitBranch",   "ExitIndirect",
      "ExitReturn", "Unsupported"};
  auto i = static_cast<unsigned>(op);
  if (i < ir::kOpcodeCount) return ir::OpName(static_cast<ir::Opcode>(i));
  i -= ir::kOpcodeCount;
  return i < std::size(kExtra) ? kExtra[i] : "?";
}
static_assert(static_cast<unsigned>(XOp::kCount) - ir::kOpcodeCount == 26,
              "XOpName's list must follow the XOp enum");

}  // namespace polyvm::engine::interp
