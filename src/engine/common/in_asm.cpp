#include "polyvm/engine/common/in_asm.h"

#include <fmt/format.h>

namespace polyvm::engine::common {

std::string InAsmListing(const ir::Lifter& lifter, const ir::CodeReader& code, uint64_t pc,
                         uint32_t size, std::string_view note) {
  std::string log = fmt::format("IN: {} block at {:#x} ({} bytes){}\n", lifter.ArchName(), pc,
                                size, note);
  std::string text;
  for (uint64_t a = pc; a < pc + size;) {
    text.clear();
    const unsigned len = lifter.Disassemble(a, code, text);
    log += fmt::format("  {:#x}: {}\n", a, len == 0 ? "<unfetchable>" : text);
    if (len == 0) break;
    a += len;
  }
  return log;
}

}  // namespace polyvm::engine::common
