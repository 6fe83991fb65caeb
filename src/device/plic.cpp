// PLIC register model (RISC-V PLIC specification 1.0.0, and QEMU's sifive_plic for the layout
// of the virt board). Sources are level-triggered: the gateway turns a high line into a pending
// bit, and forwards no new request for that source between a claim and its completion.
#include "polyvm/device/plic.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <mutex>

#include "diag.h"

namespace polyvm::device {

namespace {

constexpr uint64_t kPriorityBase = 0x000000;  // 4 bytes per source
constexpr uint64_t kPendingBase = 0x001000;   // 1 bit per source
constexpr uint64_t kEnableBase = 0x002000;    // 0x80 bytes per context
constexpr uint64_t kEnableStride = 0x80;
constexpr uint64_t kContextBase = 0x200000;  // 0x1000 bytes per context
constexpr uint64_t kContextStride = 0x1000;
constexpr uint64_t kThresholdOffset = 0;
constexpr uint64_t kClaimOffset = 4;
constexpr uint32_t kWords = (Plic::kMaxSources + 1) / 32;  // 32 words of 32 bits: sources 0..1023

class NullLine final : public core::IrqLine {
 public:
  void Set(bool) override {}
};

}  // namespace

struct Plic::State {
  class SourceLine final : public core::IrqLine {
   public:
    SourceLine(State* state, uint32_t id) : state_(state), id_(id) {}
    void Set(bool level) override { state_->SetSource(id_, level); }

   private:
    State* state_;
    uint32_t id_;
  };

  struct Context {
    core::IrqLine* output = nullptr;
    uint32_t enable[kWords] = {};
    uint32_t threshold = 0;
    bool level = false;
  };

  uint32_t num_sources = 0;
  std::vector<SourceLine> lines;  // index id - 1
  NullLine null_line;

  std::mutex mu;                   // everything below
  std::vector<uint32_t> priority;  // index id; [0] unused
  uint32_t pending[kWords] = {};
  uint32_t claimed[kWords] = {};  // claimed and not yet completed: gateway closed
  uint32_t line_level[kWords] = {};
  std::vector<Context> contexts;

  static bool Bit(const uint32_t* words, uint32_t id) { return (words[id / 32] >> (id % 32)) & 1; }
  static void SetBit(uint32_t* words, uint32_t id, bool on) {
    if (on) {
      words[id / 32] |= 1u << (id % 32);
    } else {
      words[id / 32] &= ~(1u << (id % 32));
    }
  }

  void SetSource(uint32_t id, bool level) {
    std::lock_guard lock(mu);
    SetBit(line_level, id, level);
    if (level && !Bit(claimed, id)) SetBit(pending, id, true);
    // A level source whose line drops before being claimed withdraws its request, as QEMU does;
    // Linux's drivers never depend on a stale request.
    if (!level && !Bit(claimed, id)) SetBit(pending, id, false);
    UpdateOutputs();
  }

  // Best pending, enabled source of context c above its threshold (ties: lowest id), or 0.
  uint32_t Best(const Context& c) const {
    uint32_t best = 0, best_priority = c.threshold;
    for (uint32_t w = 0; w < kWords; ++w) {
      uint32_t bits = pending[w] & c.enable[w];
      while (bits != 0) {
        const uint32_t id = w * 32 + static_cast<uint32_t>(std::countr_zero(bits));
        bits &= bits - 1;
        if (id == 0 || id > num_sources) continue;
        if (priority[id] > best_priority) {
          best = id;
          best_priority = priority[id];
        }
      }
    }
    return best;
  }

  void UpdateOutputs() {
    for (Context& c : contexts) {
      const bool level = Best(c) != 0;
      if (level != c.level) {
        c.level = level;
        if (c.output != nullptr) c.output->Set(level);
      }
    }
  }

  uint32_t Claim(Context& c) {
    const uint32_t id = Best(c);
    if (id != 0) {
      SetBit(pending, id, false);
      SetBit(claimed, id, true);
    }
    return id;
  }

  void Complete(Context& c, uint32_t id) {
    if (id == 0 || id > num_sources || !Bit(c.enable, id)) return;  // ignored, per the spec
    SetBit(claimed, id, false);
    if (Bit(line_level, id)) SetBit(pending, id, true);
  }

  // Returns false for an offset with no register.
  bool ReadReg(uint64_t offset, uint32_t* value) {
    if (offset < kPendingBase) {
      const uint64_t id = (offset - kPriorityBase) / 4;
      *value = (id >= 1 && id <= num_sources) ? priority[id] : 0;
      return id <= Plic::kMaxSources;
    }
    if (offset < kEnableBase) {
      const uint64_t word = (offset - kPendingBase) / 4;
      if (word >= kWords) return false;
      *value = pending[word];
      return true;
    }
    if (offset < kContextBase) {
      const uint64_t ctx = (offset - kEnableBase) / kEnableStride;
      const uint64_t word = (offset - kEnableBase) % kEnableStride / 4;
      if (ctx >= contexts.size() || word >= kWords) return false;
      *value = contexts[ctx].enable[word];
      return true;
    }
    const uint64_t ctx = (offset - kContextBase) / kContextStride;
    const uint64_t reg = (offset - kContextBase) % kContextStride;
    if (ctx >= contexts.size()) return false;
    if (reg == kThresholdOffset) {
      *value = contexts[ctx].threshold;
      return true;
    }
    if (reg == kClaimOffset) {
      *value = Claim(contexts[ctx]);
      UpdateOutputs();
      return true;
    }
    return false;
  }

  bool WriteReg(uint64_t offset, uint32_t value) {
    if (offset < kPendingBase) {
      const uint64_t id = (offset - kPriorityBase) / 4;
      if (id >= 1 && id <= num_sources) priority[id] = std::min(value, Plic::kMaxPriority);
      UpdateOutputs();
      return id <= Plic::kMaxSources;
    }
    if (offset < kEnableBase) return (offset - kPendingBase) / 4 < kWords;  // pending: read-only
    if (offset < kContextBase) {
      const uint64_t ctx = (offset - kEnableBase) / kEnableStride;
      const uint64_t word = (offset - kEnableBase) % kEnableStride / 4;
      if (ctx >= contexts.size() || word >= kWords) return false;
      uint32_t mask = ~0u;  // only existing sources can be enabled
      for (uint32_t bit = 0; bit < 32; ++bit) {
        const uint64_t id = word * 32 + bit;
        if (id == 0 || id > num_sources) mask &= ~(1u << bit);
      }
      contexts[ctx].enable[word] = value & mask;
      UpdateOutputs();
      return true;
    }
    const uint64_t ctx = (offset - kContextBase) / kContextStride;
    const uint64_t reg = (offset - kContextBase) % kContextStride;
    if (ctx >= contexts.size()) return false;
    if (reg == kThresholdOffset) {
      contexts[ctx].threshold = std::min(value, Plic::kMaxPriority);
    } else if (reg == kClaimOffset) {
      Complete(contexts[ctx], value);
    } else {
      return false;
    }
    UpdateOutputs();
    return true;
  }
};

Plic::Plic(uint32_t num_sources, std::vector<core::IrqLine*> context_outputs)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.num_sources = std::min(num_sources, kMaxSources);
  s.priority.assign(s.num_sources + 1, 0);
  s.lines.reserve(s.num_sources);
  for (uint32_t id = 1; id <= s.num_sources; ++id) s.lines.emplace_back(&s, id);
  if (context_outputs.size() > kMaxContexts) context_outputs.resize(kMaxContexts);
  s.contexts.resize(context_outputs.size());
  for (size_t i = 0; i < context_outputs.size(); ++i) s.contexts[i].output = context_outputs[i];
}

Plic::~Plic() = default;

core::IrqLine& Plic::Source(uint32_t id) {
  if (id == 0 || id > state_->num_sources) return state_->null_line;
  return state_->lines[id - 1];
}

uint32_t Plic::num_sources() const { return state_->num_sources; }
uint32_t Plic::num_contexts() const { return static_cast<uint32_t>(state_->contexts.size()); }

uint64_t Plic::Read(uint64_t offset, unsigned size) {
  uint32_t value = 0;
  bool ok = false;
  if (size == 4 && offset % 4 == 0) {
    std::lock_guard lock(state_->mu);
    ok = state_->ReadReg(offset, &value);
  }
  if (!ok) {
    ReportGuestError(Name(), fmt::format("read of {} bytes at offset {:#x}: no such register "
                                         "(registers are 32-bit); returning 0",
                                         size, offset));
    return 0;
  }
  return value;
}

void Plic::Write(uint64_t offset, unsigned size, uint64_t value) {
  bool ok = false;
  if (size == 4 && offset % 4 == 0) {
    std::lock_guard lock(state_->mu);
    ok = state_->WriteReg(offset, static_cast<uint32_t>(value));
  }
  if (!ok) {
    ReportGuestError(Name(), fmt::format("write of {} bytes at offset {:#x} (value {:#x}) "
                                         "ignored: no such register",
                                         size, offset, value));
  }
}

}  // namespace polyvm::device
