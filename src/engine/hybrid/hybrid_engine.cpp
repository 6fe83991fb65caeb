// HybridEngine::Run: the loop that hands a vCPU between the tiers. Each tier runs until an exit to
// report or a tier decision: the interpreter stops when a block it counts turns hot (OnCount) or
// when it reaches a hot block's pc; the JIT stops when it reaches a pc that is not hot. Inside
// one tier, blocks chain as usual, so a hot loop stays in JIT code. A JIT block that keeps running
// is recompiled with its hotter successors as a superblock (the JIT's own second tier).
#include "polyvm/engine/hybrid/hybrid_engine.h"

namespace polyvm::engine::hybrid {

namespace {

// Per-vCPU: each tier keeps its own per-vCPU data, so the hybrid engine gives each a Vcpu of its
// own over the same guest state.
class ThreadData final : public core::EngineThreadData {
 public:
  explicit ThreadData(const HybridEngine* owner) : owner(owner) {}
  const HybridEngine* const owner;
  core::Vcpu interp_vcpu;
  core::Vcpu jit_vcpu;
};

ThreadData& GetThreadData(core::Vcpu& vcpu, const HybridEngine* owner) {
  auto* td = dynamic_cast<ThreadData*>(vcpu.engine_data.get());
  if (td == nullptr || td->owner != owner) {
    auto fresh = std::make_unique<ThreadData>(owner);
    td = fresh.get();
    vcpu.engine_data = std::move(fresh);
  }
  for (core::Vcpu* v : {&td->interp_vcpu, &td->jit_vcpu}) {
    v->state = vcpu.state;
    v->mmu = vcpu.mmu;
  }
  return *td;
}

void Bump(std::atomic<uint64_t>& c, uint64_t n = 1) { c.fetch_add(n, std::memory_order_relaxed); }

}  // namespace

HybridEngine::HybridEngine(const ir::Lifter& lifter, const ir::CodeReader& code, Options options)
    : hotness_(options.hotness) {
  options.interp.tier.on_count = [this](uint64_t pc, uint32_t runs) { return OnCount(pc, runs); };
  options.interp.tier.may_translate = [this](uint64_t pc) { return !hotness_.IsHot(pc); };
  options.jit.tier.on_count = nullptr;
  options.jit.tier.may_translate = [this](uint64_t pc) { return hotness_.IsHot(pc); };
  options.jit.superblock = options.superblock;
  interp_ = std::make_unique<interp::Interpreter>(lifter, code, std::move(options.interp));
  jit_ = std::make_unique<jit::JitEngine>(lifter, code, std::move(options.jit));
}

HybridEngine::~HybridEngine() = default;

uint32_t HybridEngine::OnCount(uint64_t block_pc, uint32_t runs) {
  Bump(reports_);
  uint64_t now = clock_.fetch_add(runs, std::memory_order_relaxed) + runs;
  EwmaHotness::Verdict v = hotness_.Report(block_pc, runs, now);
  if (!v.hot) return v.next_report;
  if (v.became_hot) Bump(promotions_);
  // Unchains the interpreter's exits into the block, so they stop at the hand-off; the JIT
  // translates it when it first gets there.
  interp_->InvalidateCode(block_pc, 1);
  return 0;
}

core::ExitInfo HybridEngine::Run(core::Vcpu& vcpu) {
  ThreadData& td = GetThreadData(vcpu, this);
  core::CpuHeader* hdr = vcpu.state;
  bool was_hot = hotness_.IsHot(hdr->pc);
  for (;;) {
    const bool hot = hotness_.IsHot(hdr->pc);
    if (hot != was_hot) Bump(hot ? to_jit_ : to_interp_);
    was_hot = hot;
    TierStop stop = TierStop::kNone;
    const uint64_t before = hdr->retired;
    core::ExitInfo info =
        hot ? jit_->RunTier(td.jit_vcpu, &stop) : interp_->RunTier(td.interp_vcpu, &stop);
    Bump(hot ? insns_jit_ : insns_interp_, hdr->retired - before);
    if (stop == TierStop::kNone) return info;
    if (stop == TierStop::kCodeSync) {  // fence.i: the guest's code may have changed
      Bump(code_syncs_);
      interp_->InvalidateAll();
      jit_->InvalidateAll();
    }
  }
}

void HybridEngine::InvalidateCode(uint64_t addr, uint64_t size) {
  interp_->InvalidateCode(addr, size);
  jit_->InvalidateCode(addr, size);
}

void HybridEngine::CollectStats(core::Stats& out) const {
  interp_->CollectStats(out);
  jit_->CollectStats(out);
  double translated = 0;
  for (const core::Stats::Entry& e : out.entries) {
    if (e.name == "interp.blocks_translated" || e.name == "jit.blocks_translated")
      translated += e.value;
  }
  out.Add("hybrid.blocks_translated", translated);  // by both tiers
  auto d = [](const std::atomic<uint64_t>& v) {
    return static_cast<double>(v.load(std::memory_order_relaxed));
  };
  const HotnessOptions& h = hotness_.options();
  out.Add("hybrid.hot_threshold", h.threshold);
  out.Add("hybrid.ewma_alpha", h.alpha);
  out.Add("hybrid.ewma_period", static_cast<double>(h.period));
  out.Add("hybrid.blocks_hot", static_cast<double>(hotness_.HotCount()));
  out.Add("hybrid.blocks_promoted", d(promotions_));
  out.Add("hybrid.count_reports", d(reports_));
  out.Add("hybrid.interp_runs_counted", d(clock_));
  out.Add("hybrid.insns_interp", d(insns_interp_));
  out.Add("hybrid.insns_jit", d(insns_jit_));
  double total = d(insns_interp_) + d(insns_jit_);
  out.Add("hybrid.insns_jit_share", total > 0 ? 100 * d(insns_jit_) / total : 0, "%");
  out.Add("hybrid.switches_to_jit", d(to_jit_));
  out.Add("hybrid.switches_to_interp", d(to_interp_));
  out.Add("hybrid.code_syncs", d(code_syncs_));
}

}  // namespace polyvm::engine::hybrid
