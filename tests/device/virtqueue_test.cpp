// Split-virtqueue parsing (virtio 1.x section 2.7): well-formed direct and indirect chains, and
// every malformed shape a hostile driver can build, which must be refused with no access outside
// guest RAM.
#include "polyvm/device/virtio/virtqueue.h"

#include <gtest/gtest.h>

#include "virtio_test_driver.h"

namespace polyvm::device::virtio {
namespace {

using testing::kDescIndirect;
using testing::kDescNext;
using testing::kDescWrite;
using testing::TestMemory;

class VirtqueueTest : public ::testing::Test {
 protected:
  static constexpr uint16_t kSize = 8;

  void SetUp() override {
    layout.size = kSize;
    layout.desc = mem.Alloc(16 * kSize, 16);
    layout.driver = mem.Alloc(6 + 2 * kSize, 2);
    layout.device = mem.Alloc(6 + 8 * kSize, 4);
    std::string error;
    vq = Virtqueue::Create(mem.ram(), layout, /*indirect=*/true, /*event_idx=*/true, &error);
    ASSERT_NE(vq, nullptr) << error;
  }

  void Desc(uint64_t table, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags,
            uint16_t next = 0) {
    mem.Put<uint64_t>(table + 16 * i, addr);
    mem.Put<uint32_t>(table + 16 * i + 8, len);
    mem.Put<uint16_t>(table + 16 * i + 12, flags);
    mem.Put<uint16_t>(table + 16 * i + 14, next);
  }
  void Desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next = 0) {
    Desc(layout.desc, i, addr, len, flags, next);
  }
  void Avail(uint16_t head) {
    mem.Put<uint16_t>(layout.driver + 4 + 2 * (avail_idx % kSize), head);
    mem.Put<uint16_t>(layout.driver + 2, ++avail_idx);
  }
  Virtqueue::PopResult Pop() { return vq->Pop(&chain, &error); }
  void ExpectError(const char* fragment) {
    EXPECT_EQ(Pop(), Virtqueue::PopResult::kError);
    EXPECT_NE(error.find(fragment), std::string::npos) << error;
  }

  TestMemory mem{1 << 20};
  QueueLayout layout;
  std::unique_ptr<Virtqueue> vq;
  uint16_t avail_idx = 0;
  Chain chain;
  std::string error;
};

TEST_F(VirtqueueTest, EmptyQueue) { EXPECT_EQ(Pop(), Virtqueue::PopResult::kEmpty); }

TEST_F(VirtqueueTest, DirectChainSplitsReadableAndWritable) {
  const uint64_t a = mem.Alloc(100), b = mem.Alloc(200), c = mem.Alloc(1);
  Desc(3, a, 100, kDescNext, 5);
  Desc(5, b, 200, kDescNext | kDescWrite, 1);
  Desc(1, c, 1, kDescWrite);
  Avail(3);
  ASSERT_EQ(Pop(), Virtqueue::PopResult::kChain) << error;
  EXPECT_EQ(chain.head, 3);
  ASSERT_EQ(chain.readable.size(), 1u);
  EXPECT_EQ(chain.readable[0].gpa, a);
  ASSERT_EQ(chain.writable.size(), 2u);
  EXPECT_EQ(chain.writable[1].gpa, c);
  EXPECT_EQ(chain.readable_bytes, 100u);
  EXPECT_EQ(chain.writable_bytes, 201u);
  EXPECT_EQ(Pop(), Virtqueue::PopResult::kEmpty);
}

TEST_F(VirtqueueTest, IndirectChain) {
  const uint64_t table = mem.Alloc(48), a = mem.Alloc(16), b = mem.Alloc(512), s = mem.Alloc(1);
  Desc(table, 0, a, 16, kDescNext, 1);
  Desc(table, 1, b, 512, kDescNext | kDescWrite, 2);
  Desc(table, 2, s, 1, kDescWrite);
  Desc(0, table, 48, kDescIndirect);
  Avail(0);
  ASSERT_EQ(Pop(), Virtqueue::PopResult::kChain) << error;
  EXPECT_EQ(chain.readable_bytes, 16u);
  EXPECT_EQ(chain.writable_bytes, 513u);
}

TEST_F(VirtqueueTest, CopiesAcrossBuffers) {
  const uint64_t a = mem.Alloc(3), b = mem.Alloc(5);
  mem.PutBytes(a, "abc");
  mem.PutBytes(b, "defgh");
  const Buffer bufs[] = {{a, 3}, {b, 5}};
  uint8_t out[6] = {};
  EXPECT_EQ(CopyFromChain(mem.ram(), bufs, 1, out), 6u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), 6), "bcdefg");
  const std::string in = "XYZW";
  EXPECT_EQ(
      CopyToChain(mem.ram(), bufs, 2, {reinterpret_cast<const uint8_t*>(in.data()), in.size()}),
      4u);
  EXPECT_EQ(mem.GetBytes(a, 3) + mem.GetBytes(b, 5), "abXYZWgh");
  uint8_t big[16];
  EXPECT_EQ(CopyFromChain(mem.ram(), bufs, 0, big), 8u);  // short: the chain holds 8 bytes
}

TEST_F(VirtqueueTest, UsedRingAndIndex) {
  vq->PushUsed(6, 1234);
  EXPECT_EQ(mem.Get<uint16_t>(layout.device + 2), 1);
  EXPECT_EQ(mem.Get<uint32_t>(layout.device + 4), 6u);
  EXPECT_EQ(mem.Get<uint32_t>(layout.device + 8), 1234u);
}

TEST_F(VirtqueueTest, EventIdxInterruptSuppression) {
  // used_event = 2: interrupt when used->idx moves past 2, i.e. on the third completion.
  mem.Put<uint16_t>(layout.driver + 4 + 2 * kSize, 2);
  vq->PushUsed(0, 0);
  EXPECT_FALSE(vq->ShouldInterrupt());
  vq->PushUsed(1, 0);
  EXPECT_FALSE(vq->ShouldInterrupt());
  vq->PushUsed(2, 0);
  EXPECT_TRUE(vq->ShouldInterrupt());
  EXPECT_FALSE(vq->ShouldInterrupt());  // nothing new since
}

TEST_F(VirtqueueTest, ArmNotificationPublishesAvailEvent) {
  const uint64_t a = mem.Alloc(8);
  Desc(0, a, 8, 0);
  Avail(0);
  ASSERT_EQ(Pop(), Virtqueue::PopResult::kChain);
  EXPECT_FALSE(vq->ArmNotification());
  EXPECT_EQ(mem.Get<uint16_t>(layout.device + 4 + 8 * kSize), 1);  // avail_event
  Avail(0);
  EXPECT_TRUE(vq->ArmNotification());  // a buffer arrived: caller must pop again
}

TEST_F(VirtqueueTest, RejectsLoop) {
  const uint64_t a = mem.Alloc(8);
  Desc(0, a, 8, kDescNext, 1);
  Desc(1, a, 8, kDescNext, 0);
  Avail(0);
  ExpectError("loops");
}

TEST_F(VirtqueueTest, RejectsSelfLoopInIndirectTable) {
  const uint64_t table = mem.Alloc(32), a = mem.Alloc(8);
  Desc(table, 0, a, 8, kDescNext, 1);
  Desc(table, 1, a, 8, kDescNext, 1);
  Desc(0, table, 32, kDescIndirect);
  Avail(0);
  ExpectError("loops");
}

TEST_F(VirtqueueTest, RejectsHeadOutOfRange) {
  Avail(kSize);
  ExpectError("head descriptor");
}

TEST_F(VirtqueueTest, RejectsNextOutOfRange) {
  Desc(0, mem.Alloc(8), 8, kDescNext, kSize + 100);
  Avail(0);
  ExpectError("next descriptor");
}

TEST_F(VirtqueueTest, RejectsBufferOutsideRam) {
  Desc(0, TestMemory::kBase - 16, 32, 0);
  Avail(0);
  ExpectError("outside guest RAM");
}

TEST_F(VirtqueueTest, RejectsBufferWhoseEndOverflows) {
  Desc(0, ~uint64_t{0} - 4, 0xffffffff, kDescWrite);
  Avail(0);
  ExpectError("outside guest RAM");
}

TEST_F(VirtqueueTest, RejectsHugeLength) {
  Desc(0, TestMemory::kBase, 0xffffffff, kDescWrite);  // larger than all of RAM
  Avail(0);
  ExpectError("outside guest RAM");
}

TEST_F(VirtqueueTest, RejectsNestedIndirect) {
  const uint64_t inner = mem.Alloc(16), outer = mem.Alloc(16);
  Desc(inner, 0, mem.Alloc(8), 8, 0);
  Desc(outer, 0, inner, 16, kDescIndirect);
  Desc(0, outer, 16, kDescIndirect);
  Avail(0);
  ExpectError("inside an indirect table");
}

TEST_F(VirtqueueTest, RejectsIndirectWithNext) {
  const uint64_t table = mem.Alloc(16);
  Desc(table, 0, mem.Alloc(8), 8, 0);
  Desc(0, table, 16, kDescIndirect | kDescNext, 1);
  Avail(0);
  ExpectError("NEXT");
}

TEST_F(VirtqueueTest, RejectsIndirectTableOfBadSize) {
  Desc(0, mem.Alloc(24), 24, kDescIndirect);
  Avail(0);
  ExpectError("indirect table of 24 bytes");
}

TEST_F(VirtqueueTest, RejectsIndirectTableOutsideRam) {
  Desc(0, TestMemory::kBase + (1 << 20) - 16, 32, kDescIndirect);
  Avail(0);
  ExpectError("indirect table outside");
}

TEST_F(VirtqueueTest, RejectsIndirectWhenNotNegotiated) {
  std::string e;
  auto plain = Virtqueue::Create(mem.ram(), layout, /*indirect=*/false, false, &e);
  ASSERT_NE(plain, nullptr);
  const uint64_t table = mem.Alloc(16);
  Desc(table, 0, mem.Alloc(8), 8, 0);
  Desc(0, table, 16, kDescIndirect);
  Avail(0);
  EXPECT_EQ(plain->Pop(&chain, &error), Virtqueue::PopResult::kError);
  EXPECT_NE(error.find("VIRTIO_F_INDIRECT_DESC"), std::string::npos);
}

TEST_F(VirtqueueTest, RejectsReadableAfterWritable) {
  const uint64_t a = mem.Alloc(8);
  Desc(0, a, 8, kDescWrite | kDescNext, 1);
  Desc(1, a, 8, 0);
  Avail(0);
  ExpectError("readable buffer after");
}

TEST_F(VirtqueueTest, RejectsAvailIndexRunningAhead) {
  mem.Put<uint16_t>(layout.driver + 2, kSize + 1);
  ExpectError("ran ahead");
}

TEST_F(VirtqueueTest, RejectsBadLayouts) {
  std::string e;
  QueueLayout bad = layout;
  bad.size = 6;
  EXPECT_EQ(Virtqueue::Create(mem.ram(), bad, true, true, &e), nullptr);
  EXPECT_NE(e.find("power of 2"), std::string::npos);
  bad = layout;
  bad.desc += 8;
  EXPECT_EQ(Virtqueue::Create(mem.ram(), bad, true, true, &e), nullptr);
  EXPECT_NE(e.find("misaligned"), std::string::npos);
  bad = layout;
  bad.device = TestMemory::kBase + (1 << 20) - 8;
  EXPECT_EQ(Virtqueue::Create(mem.ram(), bad, true, true, &e), nullptr);
  EXPECT_NE(e.find("not inside"), std::string::npos);
  bad = layout;
  bad.driver = ~uint64_t{0} - 1;
  EXPECT_EQ(Virtqueue::Create(mem.ram(), bad, true, true, &e), nullptr);
  bad = layout;
  bad.size = 0;
  EXPECT_EQ(Virtqueue::Create(mem.ram(), bad, true, true, &e), nullptr);
}

TEST(GuestRamTest, TranslateChecksBoundsWithoutOverflow) {
  uint8_t buf[64];
  const core::GuestRam ram(0x1000, buf, sizeof(buf));
  EXPECT_EQ(ram.Translate(0x1000, 64), buf);
  EXPECT_EQ(ram.Translate(0x1040, 0), buf + 64);
  EXPECT_EQ(ram.Translate(0x1000, 65), nullptr);
  EXPECT_EQ(ram.Translate(0xfff, 1), nullptr);
  EXPECT_EQ(ram.Translate(0x1001, ~uint64_t{0}), nullptr);
  EXPECT_EQ(ram.Translate(~uint64_t{0}, 2), nullptr);
  uint8_t out[4];
  EXPECT_FALSE(ram.Read(0x103e, out));
  EXPECT_TRUE(ram.Read(0x103c, out));
}

}  // namespace
}  // namespace polyvm::device::virtio
