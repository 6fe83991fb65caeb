// The CSR table (csrs.def): every CSR polyvm knows, as data (number, name, how it is read and
// written in IR). User mode can access the FP CSRs and read the counters; system mode will fill in
// the behaviour of the others.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "polyvm/ir/builder.h"

namespace polyvm::frontend::riscv64 {

class LiftContext;

struct CsrDef {
  uint16_t number;
  std::string_view name;
  ir::Value (*read)(LiftContext&);         // emits the read; the value as i64. nullptr: no access
  void (*write)(LiftContext&, ir::Value);  // emits the write of an i64; nullptr: read-only
};

std::span<const CsrDef> Csrs();
// The row of a CSR, or nullptr if the number has none.
const CsrDef* FindCsr(uint16_t number);
// The CSR's name, or "" if it has none (objdump then prints the number).
std::string_view CsrName(uint16_t number);

}  // namespace polyvm::frontend::riscv64
