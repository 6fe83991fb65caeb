// One code arena: an RWX mapping that blocks are compiled into back to back, starting with the
// entry/exit trampolines. It owns the bookkeeping of every block compiled into it, so a block's
// records stay valid until the whole arena is freed (after a flush, once no vCPU can run in it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "block.h"
#include "codegen.h"

namespace polyvm::engine::jit {

class CodeArena {
 public:
  explicit CodeArena(size_t bytes);  // aborts with a message if the mapping fails
  ~CodeArena();
  CodeArena(const CodeArena&) = delete;
  CodeArena& operator=(const CodeArena&) = delete;

  uint8_t* top() const { return base_ + used_; }
  size_t room() const { return size_ - used_; }
  size_t used() const { return used_; }
  void Commit(size_t bytes) { used_ += (bytes + 15) & ~size_t{15}; }

  EnterFn enter() const { return enter_; }
  const ArenaStubs& stubs() const { return stubs_; }
  // The block whose code contains `pc`, or null.
  const JBlock* BlockAt(const uint8_t* pc) const;
  // Keeps a block's bookkeeping alive as long as the arena.
  JBlock* Own(std::unique_ptr<JBlock> b) {
    blocks_.push_back(std::move(b));
    return blocks_.back().get();
  }

 private:
  uint8_t* base_;
  size_t size_;
  size_t used_ = 0;
  EnterFn enter_ = nullptr;
  ArenaStubs stubs_;
  std::vector<std::unique_ptr<JBlock>> blocks_;
};

}  // namespace polyvm::engine::jit
