// The code arena (see code_arena.h).
#include "code_arena.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace polyvm::engine::jit {

CodeArena::CodeArena(size_t bytes) : size_(bytes < 4096 ? 4096 : bytes) {
  void* p =
      mmap(nullptr, size_, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    std::fprintf(stderr, "polyvm: jit: cannot map a %zu-byte code arena: %m\n", size_);
    std::abort();
  }
  base_ = static_cast<uint8_t*>(p);
  Commit(EmitTrampolines(base_, size_, &enter_, &stubs_));
}

CodeArena::~CodeArena() { munmap(base_, size_); }

const JBlock* CodeArena::BlockAt(const uint8_t* pc) const {
  if (pc < base_ || pc >= base_ + used_) return nullptr;
  // Blocks are compiled back to back: their entries increase with their index.
  auto it = std::upper_bound(
      blocks_.begin(), blocks_.end(), pc,
      [](const uint8_t* p, const std::unique_ptr<JBlock>& b) { return p < b->entry; });
  if (it == blocks_.begin()) return nullptr;
  const JBlock* b = (it - 1)->get();
  return pc < b->entry + b->code_bytes ? b : nullptr;
}

}  // namespace polyvm::engine::jit
