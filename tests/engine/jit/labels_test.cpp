// The block compiler's small parts of its own: LabelTable (labels.h), whose displacements every
// jump and rip-relative operand depends on, InlineFn (inline_fn.h), which holds the deferred
// emitters, and EncodingMemo (encoding_memo.h), whose bytes replace Xbyak's encoding (that a
// replayed sequence equals Xbyak's is checked by every JIT test in builds with assertions), and the
// size of the arena's trampolines and shared stubs (codegen.h promises at most 1024 bytes). Expected displacements are computed here from the offsets, as the CPU computes them
// (target minus the end of the instruction).
#include "labels.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "codegen.h"
#include "encoding_memo.h"
#include "inline_fn.h"

namespace polyvm::engine::jit::detail {
namespace {

int32_t Disp(const std::vector<uint8_t>& code, size_t at) {
  int32_t d;
  std::memcpy(&d, code.data() + at, sizeof d);
  return d;
}

TEST(LabelTable, PatchesForwardAndBackwardReferences) {
  LabelTable t;
  Label back, fwd;
  t.Bind(back, 4);
  t.Refer(back, 10, 14);  // a rel32 at 10..13 of an instruction ending at 14
  t.Refer(fwd, 20, 24);
  t.Refer(fwd, 30, 35);  // a rip-relative operand followed by an imm8
  t.Bind(fwd, 40);
  std::vector<uint8_t> code(64, 0xcc);
  t.Patch(code.data());
  EXPECT_EQ(Disp(code, 10), 4 - 14);
  EXPECT_EQ(Disp(code, 20), 40 - 24);
  EXPECT_EQ(Disp(code, 30), 40 - 35);
  EXPECT_EQ(code[14], 0xcc) << "only the four displacement bytes are written";
  EXPECT_EQ(t.Offset(fwd), 40u);
}

TEST(LabelTable, CopiesShareTheLabelOnceItHasAnIndex) {
  LabelTable t;
  Label a;
  t.Bind(a, 8);
  Label copy = a;  // as the deferred emitters capture labels
  t.Refer(copy, 0, 4);
  std::vector<uint8_t> code(16, 0);
  t.Patch(code.data());
  EXPECT_EQ(Disp(code, 0), 8 - 4);
  Label fresh;
  Label early_copy = fresh;  // copied before either has an index: two labels, as with Xbyak's
  t.Bind(fresh, 12);
  EXPECT_THROW(t.Offset(early_copy), Xbyak::Error);
}

TEST(LabelTable, MistakesThrowXbyakErrors) {
  LabelTable t;
  Label a, unbound;
  t.Bind(a, 0);
  EXPECT_THROW(t.Bind(a, 4), Xbyak::Error) << "a label is bound once";
  t.Refer(unbound, 0, 4);
  std::vector<uint8_t> code(8, 0);
  EXPECT_THROW(t.Patch(code.data()), Xbyak::Error) << "a reference to a label never bound";
  t.clear();
  Label b;
  t.Bind(b, 2);
  t.Patch(code.data());  // nothing left over from before clear()
  EXPECT_EQ(t.Offset(b), 2u);
}

// Counts its live copies, so a double destruction or a leak shows.
struct Tracked {
  explicit Tracked(int* live) : live(live) { ++*live; }
  Tracked(const Tracked& o) : live(o.live) { ++*live; }
  ~Tracked() { --*live; }
  int* live;
};

TEST(InlineFn, RunsAndDestroysItsCapturesExactlyOnce) {
  int live = 0, calls = 0;
  {
    std::vector<InlineFn> fns;
    for (int k = 0; k < 50; ++k) {  // the vector reallocates: each InlineFn is moved
      auto tracked = std::make_shared<Tracked>(&live);
      std::vector<int> payload(k, k);
      fns.emplace_back([tracked, payload = std::move(payload), &calls, k]() {
        calls += static_cast<int>(payload.size()) == k ? 1 : 1000;
      });
    }
    EXPECT_EQ(live, 50);
    for (InlineFn& f : fns) f();
    InlineFn moved = std::move(fns[3]);  // a moved-from one is empty and destroys nothing
    moved();
    EXPECT_EQ(live, 50);
  }
  EXPECT_EQ(calls, 51);
  EXPECT_EQ(live, 0);
}

TEST(EncodingMemo, ReplaysWhatWasFiledUnderTheKey) {
  EncodingMemo memo;
  const uint64_t key = MemoKey(MemoTag::kStateLoad, 0x1234);
  EXPECT_EQ(memo.Find(key), nullptr);
  const uint8_t bytes[] = {0x48, 0x8b, 0x73, 0x10};
  memo.Put(key, bytes, sizeof bytes);
  const EncodingMemo::Entry* e = memo.Find(key);
  ASSERT_NE(e, nullptr);
  ASSERT_EQ(e->len, sizeof bytes);
  EXPECT_EQ(std::memcmp(e->bytes, bytes, sizeof bytes), 0);
  // Another tag with the same operands is another key.
  EXPECT_EQ(memo.Find(MemoKey(MemoTag::kStateStore, 0x1234)), nullptr);
}

TEST(EncodingMemo, KeepsNothingTooLong) {
  EncodingMemo memo;
  std::vector<uint8_t> bytes(EncodingMemo::kMaxBytes + 1, 0x90);
  memo.Put(MemoKey(MemoTag::kTlbProbe, 1), bytes.data(), bytes.size());
  EXPECT_EQ(memo.Find(MemoKey(MemoTag::kTlbProbe, 1)), nullptr);
  memo.Put(MemoKey(MemoTag::kTlbProbe, 2), bytes.data(), EncodingMemo::kMaxBytes);
  ASSERT_NE(memo.Find(MemoKey(MemoTag::kTlbProbe, 2)), nullptr);
  EXPECT_EQ(memo.Find(MemoKey(MemoTag::kTlbProbe, 2))->len, EncodingMemo::kMaxBytes);
}

// Filled past its capacity, it drops keys (they are encoded every time) but never answers a key
// with another key's bytes.
TEST(EncodingMemo, NeverAnswersWithAnotherKeysBytes) {
  EncodingMemo memo;
  constexpr uint32_t kKeys = 10000;
  auto bytes_of = [](uint32_t k) {
    std::vector<uint8_t> b(1 + k % 7);
    for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(k >> (8 * (i % 4)));
    return b;
  };
  for (uint32_t k = 1; k <= kKeys; ++k) {
    std::vector<uint8_t> b = bytes_of(k);
    memo.Put(MemoKey(MemoTag::kSysLoad, k), b.data(), b.size());
  }
  uint32_t found = 0;
  for (uint32_t k = 1; k <= kKeys; ++k) {
    const EncodingMemo::Entry* e = memo.Find(MemoKey(MemoTag::kSysLoad, k));
    if (e == nullptr) continue;
    ++found;
    std::vector<uint8_t> b = bytes_of(k);
    ASSERT_EQ(e->len, b.size()) << k;
    ASSERT_EQ(std::memcmp(e->bytes, b.data(), b.size()), 0) << k;
  }
  EXPECT_GT(found, 2000u);  // most of its 4096 slots hold a key
  EXPECT_LE(found, 4096u);
}

TEST(ArenaStubs, TrampolinesAndSharedStubsFitTheirArea) {
  std::vector<uint8_t> area(4096);  // only emitted here, never run
  EnterFn enter = nullptr;
  ArenaStubs stubs;
  const size_t used = EmitTrampolines(area.data(), area.size(), &enter, &stubs);
  EXPECT_LE(used, 1024u);
  const uint8_t* begin = area.data();
  const uint8_t* end = begin + used;
  auto inside = [&](const uint8_t* p) { return p >= begin && p < end; };
  EXPECT_TRUE(inside(reinterpret_cast<const uint8_t*>(enter)));
  EXPECT_TRUE(inside(stubs.epilogue));
  for (unsigned d = 0; d < 2; ++d) {
    EXPECT_TRUE(inside(stubs.link[d])) << d;
    EXPECT_TRUE(inside(stubs.leave[d])) << d;
  }
  for (unsigned lg = 0; lg < 4; ++lg) {
    EXPECT_TRUE(inside(stubs.sys_load[lg])) << lg;
    EXPECT_TRUE(inside(stubs.sys_store[lg])) << lg;
  }
  EXPECT_TRUE(inside(stubs.need_block));
  EXPECT_TRUE(inside(stubs.jc_miss));
  EXPECT_TRUE(inside(stubs.sys_lookup));
}

}  // namespace
}  // namespace polyvm::engine::jit::detail
