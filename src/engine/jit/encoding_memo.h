// Machine code sequences Xbyak has encoded once, replayed by copying their bytes.
//
// Xbyak encodes each instruction through generic operand checks and one call per byte: a few
// hundred host instructions per emitted instruction, a third of a block's translation time in a
// Linux boot (docs/jit.md, "Translation time"). Yet most of a block's code is a handful of shapes
// that differ only in a register or a small constant: the soft-MMU probe, guest register loads
// and stores, the exit's interrupt test. Compiler::Memoized encodes such a sequence with Xbyak the
// first time its key is seen and copies the bytes after that. A key must name everything the
// bytes depend on, and a memoized sequence must not refer to labels or absolute addresses; builds
// with assertions encode every replayed sequence again and check that the bytes agree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>

namespace polyvm::engine::jit::detail {

// What a key's top byte says: which sequence (the rest are its operands).
enum class MemoTag : uint8_t {
  kTlbProbe = 1,   // the TLB probe up to its tag compare: address register, size, kind
  kTlbAddend,      // the addend load after the tag compare: kind
  kSysLoad,        // a TLB-hit load: destination, address register, size, extension
  kSysStore,       // a TLB-hit store of a register: value register, address register, size
  kSysStoreImm,    // a TLB-hit store of a constant: address register, size, the constant
  kExitTest,       // an exit's retired count and interrupt test: the count
  kStateLoad,      // a guest register load: destination, offset, size
  kStateStore,     // a guest register store: source, offset, size
};

constexpr uint64_t MemoKey(MemoTag tag, uint64_t operands) {
  return (static_cast<uint64_t>(tag) << 56) | (operands & ((uint64_t{1} << 56) - 1));
}

class EncodingMemo {
 public:
  static constexpr size_t kMaxBytes = 55;
  struct Entry {
    uint64_t key = 0;  // 0: free
    uint8_t len = 0;
    uint8_t bytes[kMaxBytes];
  };

  const Entry* Find(uint64_t key) const {
    if (!slots_) return nullptr;
    for (size_t k = 0, i = Home(key); k < kProbes; ++k, i = (i + 1) & (kSlots - 1)) {
      if (slots_[i].key == key) return &slots_[i];
      if (slots_[i].key == 0) return nullptr;
    }
    return nullptr;
  }
  // Files `len` bytes under `key` (not if too long, or if its neighbourhood is full: such a key
  // is just encoded every time).
  void Put(uint64_t key, const uint8_t* bytes, size_t len) {
    if (len > kMaxBytes || key == 0) return;
    if (!slots_) slots_ = std::make_unique<Entry[]>(kSlots);
    for (size_t k = 0, i = Home(key); k < kProbes; ++k, i = (i + 1) & (kSlots - 1)) {
      if (slots_[i].key != 0) continue;
      slots_[i].key = key;
      slots_[i].len = static_cast<uint8_t>(len);
      std::memcpy(slots_[i].bytes, bytes, len);
      return;
    }
  }

 private:
  static constexpr size_t kSlots = 4096;  // 256 KiB per translating thread
  static constexpr size_t kProbes = 8;
  static size_t Home(uint64_t key) { return (key * 0x9E3779B97F4A7C15ull) >> 52; }  // 12 bits
  std::unique_ptr<Entry[]> slots_;
};

static_assert(sizeof(EncodingMemo::Entry) == 64);

}  // namespace polyvm::engine::jit::detail
