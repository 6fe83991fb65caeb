// Guarded copies: EFAULT (never a crash) for unmapped guest pages, for addresses beyond the guest
// limit and for ranges that wrap around; strings that cross pages or run into unmapped memory.
#include "polyvm/mem/guest_access.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <string.h>

namespace polyvm::mem {
namespace {

constexpr uint64_t kP = kPageSize;

class GuestAccess : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    Layout layout;
    layout.size = uint64_t{1} << 30;
    as_ = AddressSpace::Create(layout, &err);
    ASSERT_TRUE(as_) << err;
    MapRequest r;
    r.addr = 0x10000;
    r.length = 2 * kP;
    r.prot = kProtRead | kProtWrite;
    r.flags = kMapAnonymous | kMapFixed;
    ASSERT_EQ(as_->Map(r), 0x10000);
  }
  std::unique_ptr<AddressSpace> as_;
};

TEST_F(GuestAccess, RoundTrip) {
  const char msg[] = "hello guest";
  ASSERT_EQ(CopyToGuest(*as_, 0x10ff8, msg, sizeof msg), 0);  // crosses a page boundary
  char back[sizeof msg] = {};
  ASSERT_EQ(CopyFromGuest(*as_, back, 0x10ff8, sizeof msg), 0);
  EXPECT_STREQ(back, msg);
  EXPECT_EQ(memcmp(as_->ToHost(0x10ff8), msg, sizeof msg), 0);
  uint64_t v = 0x1122334455667788;
  ASSERT_EQ(WriteGuest(*as_, 0x10100, v), 0);
  uint64_t w = 0;
  ASSERT_EQ(ReadGuest(*as_, 0x10100, w), 0);
  EXPECT_EQ(w, v);
  ASSERT_EQ(FillGuest(*as_, 0x10100, 0, 8), 0);
  ASSERT_EQ(ReadGuest(*as_, 0x10100, w), 0);
  EXPECT_EQ(w, 0u);
}

TEST_F(GuestAccess, UnmappedGivesEfault) {
  char buf[16];
  EXPECT_EQ(CopyFromGuest(*as_, buf, 0, 1), -EFAULT);
  EXPECT_EQ(CopyToGuest(*as_, 0x5000, buf, 4), -EFAULT);
  // Starts mapped, runs into the unmapped page after the mapping.
  EXPECT_EQ(CopyFromGuest(*as_, buf, 0x11ff8, 16), -EFAULT);
  EXPECT_EQ(FillGuest(*as_, 0x11ffc, 0, 8), -EFAULT);
  // Zero-length copies never fault, as the kernel's.
  EXPECT_EQ(CopyFromGuest(*as_, buf, 0xdead0000, 0), 0);
}

TEST_F(GuestAccess, BeyondLimitAndWrapGiveEfault) {
  char buf[16];
  EXPECT_EQ(CopyFromGuest(*as_, buf, as_->limit(), 1), -EFAULT);
  EXPECT_EQ(CopyFromGuest(*as_, buf, as_->limit() - 4, 8), -EFAULT);
  EXPECT_EQ(CopyToGuest(*as_, ~uint64_t{0} - 3, buf, 8), -EFAULT);
  EXPECT_EQ(CopyFromGuest(*as_, buf, uint64_t{1} << 63, 8), -EFAULT);
  EXPECT_EQ(GuestBuffer(*as_, as_->limit() - 4, 8), nullptr);
  EXPECT_EQ(GuestBuffer(*as_, 0x10000, 8), as_->ToHost(0x10000));
}

TEST_F(GuestAccess, ReadOnlyPageRejectsWrites) {
  ASSERT_EQ(as_->Protect(0x11000, kP, kProtRead), 0);
  uint32_t v = 5;
  EXPECT_EQ(CopyToGuest(*as_, 0x11000, &v, 4), -EFAULT);
  EXPECT_EQ(CopyFromGuest(*as_, &v, 0x11000, 4), 0);
}

TEST_F(GuestAccess, Strings) {
  std::string s;
  const char text[] = "across";
  ASSERT_EQ(CopyToGuest(*as_, 0x10ffd, text, sizeof text), 0);
  ASSERT_EQ(ReadGuestString(*as_, 0x10ffd, s, 4095), 0);
  EXPECT_EQ(s, "across");
  // No NUL before the end of the mapping: EFAULT, not a read past it.
  ASSERT_EQ(FillGuest(*as_, 0x11000, 'a', kP), 0);
  EXPECT_EQ(ReadGuestString(*as_, 0x11ff0, s, 4095), -EFAULT);
  // Longer than allowed.
  EXPECT_EQ(ReadGuestString(*as_, 0x11000, s, 100), -ENAMETOOLONG);
  EXPECT_EQ(ReadGuestString(*as_, as_->limit() + 5, s, 100), -EFAULT);
  EXPECT_EQ(ReadGuestString(*as_, 0, s, 100), -EFAULT);
  ASSERT_EQ(FillGuest(*as_, 0x10000, 0, 1), 0);
  ASSERT_EQ(ReadGuestString(*as_, 0x10000, s, 100), 0);
  EXPECT_EQ(s, "");
}

}  // namespace
}  // namespace polyvm::mem
