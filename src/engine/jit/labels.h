// The block compiler's labels: an index into a table of code offsets, bound once, referred to by
// rel32 jumps, calls and rip-relative operands whose displacements are written when the block is
// done (LabelTable::Patch). Xbyak's own labels keep hash maps of definitions and of references,
// a node allocation each, and were a tenth of a Linux boot's CPU time (docs/jit.md, "Translation
// time"); a block needs none of that: its label jumps are all near, and its code never moves.
#pragma once

#include <xbyak/xbyak.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace polyvm::engine::jit::detail {

// A position in the code being emitted. Gets its index when first bound or referred to; a copy
// made before that is a different label (as with Xbyak's labels).
struct Label {
  mutable int32_t id = -1;
};

class LabelTable {
 public:
  LabelTable() {
    pos_.reserve(64);  // most blocks need fewer
    refs_.reserve(64);
  }
  void clear() {
    pos_.clear();
    refs_.clear();
  }
  // `l` is at code offset `at`.
  void Bind(const Label& l, size_t at) {
    uint32_t& p = pos_[Id(l)];
    if (p != kUnbound) throw Xbyak::Error(Xbyak::ERR_LABEL_IS_REDEFINED);
    p = static_cast<uint32_t>(at);
  }
  // Gives `l` its index now, so that copies made from here on are the same label.
  void Declare(const Label& l) { Id(l); }
  // The 4 bytes at `disp_at` are to hold l's offset minus `end` (the end of the instruction).
  void Refer(const Label& l, size_t disp_at, size_t end) {
    refs_.push_back({Id(l), static_cast<uint32_t>(disp_at), static_cast<uint32_t>(end)});
  }
  size_t Offset(const Label& l) const {
    if (l.id < 0 || pos_[l.id] == kUnbound) throw Xbyak::Error(Xbyak::ERR_LABEL_IS_NOT_FOUND);
    return pos_[l.id];
  }
  size_t NumRefs() const { return refs_.size(); }
  // Writes every reference's displacement into the code starting at `code`.
  void Patch(uint8_t* code) const {
    for (const Ref& r : refs_) {
      if (pos_[r.label] == kUnbound) throw Xbyak::Error(Xbyak::ERR_LABEL_IS_NOT_FOUND);
      const auto disp = static_cast<int32_t>(static_cast<int64_t>(pos_[r.label]) - r.end);
      std::memcpy(code + r.disp_at, &disp, sizeof disp);
    }
  }

 private:
  static constexpr uint32_t kUnbound = UINT32_MAX;
  struct Ref {
    uint32_t label, disp_at, end;
  };
  uint32_t Id(const Label& l) {
    if (l.id < 0) {
      l.id = static_cast<int32_t>(pos_.size());
      pos_.push_back(kUnbound);
    }
    return static_cast<uint32_t>(l.id);
  }
  std::vector<uint32_t> pos_;
  std::vector<Ref> refs_;
};

}  // namespace polyvm::engine::jit::detail
