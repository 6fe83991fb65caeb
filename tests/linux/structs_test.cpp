// Guest structure layouts and flag values, field by field against the riscv64 kernel and glibc
// headers (offsets generated at build time by the cross compiler: riscv64_offsets.h).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cstddef>
#include <cstring>

#include "polyvm/linux/guest_structs.h"
#include "polyvm/linux/signals.h"
#include "riscv64/signal_frame.h"
#include "riscv64_offsets.h"

namespace polyvm::linux {
namespace {

template <typename T>
T At(const uint8_t* bytes, long long offset) {
  T v;
  std::memcpy(&v, bytes + offset, sizeof v);
  return v;
}

TEST(GuestStructs, StatMatchesAsmGenericStatFieldByField) {
  struct stat h;
  std::memset(&h, 0, sizeof h);
  h.st_dev = 0x1111;
  h.st_ino = 0x2222222222;
  h.st_mode = 0100644;
  h.st_nlink = 3;
  h.st_uid = 1001;
  h.st_gid = 1002;
  h.st_rdev = 0x4444;
  h.st_size = 0x123456789;
  h.st_blksize = 4096;
  h.st_blocks = 77;
  h.st_atim = {1700000001, 11};
  h.st_mtim = {1700000002, 22};
  h.st_ctim = {1700000003, 33};
  GenericStat g;
  ToGenericStat(h, &g);
  ASSERT_EQ(static_cast<long long>(sizeof g), oracle::kStatStructSize);
  const auto* b = reinterpret_cast<const uint8_t*>(&g);
  // Field widths from asm-generic/stat.h: unsigned long / unsigned int / long / int.
  EXPECT_EQ(At<uint64_t>(b, oracle::kStatDev), 0x1111u);
  EXPECT_EQ(At<uint64_t>(b, oracle::kStatIno), 0x2222222222u);
  EXPECT_EQ(At<uint32_t>(b, oracle::kStatMode), 0100644u);
  EXPECT_EQ(At<uint32_t>(b, oracle::kStatNlink), 3u);
  EXPECT_EQ(At<uint32_t>(b, oracle::kStatUid), 1001u);
  EXPECT_EQ(At<uint32_t>(b, oracle::kStatGid), 1002u);
  EXPECT_EQ(At<uint64_t>(b, oracle::kStatRdev), 0x4444u);
  EXPECT_EQ(At<int64_t>(b, oracle::kStatSize), 0x123456789);
  EXPECT_EQ(At<int32_t>(b, oracle::kStatBlksize), 4096);
  EXPECT_EQ(At<int64_t>(b, oracle::kStatBlocks), 77);
  EXPECT_EQ(At<int64_t>(b, oracle::kStatAtime), 1700000001);
  EXPECT_EQ(At<uint64_t>(b, oracle::kStatAtimeNsec), 11u);
  EXPECT_EQ(At<int64_t>(b, oracle::kStatMtime), 1700000002);
  EXPECT_EQ(At<uint64_t>(b, oracle::kStatMtimeNsec), 22u);
  EXPECT_EQ(At<int64_t>(b, oracle::kStatCtime), 1700000003);
  EXPECT_EQ(At<uint64_t>(b, oracle::kStatCtimeNsec), 33u);
}

TEST(GuestStructs, OpenFlagsOfRiscv64MapToTheHostsFlags) {
  const auto t = GenericOpenFlags();
  const struct {
    long long guest;
    int host;
    const char* name;
  } flags[] = {
      {oracle::kOWronly, O_WRONLY, "O_WRONLY"},     {oracle::kORdwr, O_RDWR, "O_RDWR"},
      {oracle::kOCreat, O_CREAT, "O_CREAT"},        {oracle::kOExcl, O_EXCL, "O_EXCL"},
      {oracle::kONoctty, O_NOCTTY, "O_NOCTTY"},     {oracle::kOTrunc, O_TRUNC, "O_TRUNC"},
      {oracle::kOAppend, O_APPEND, "O_APPEND"},     {oracle::kONonblock, O_NONBLOCK, "O_NONBLOCK"},
      {oracle::kODsync, O_DSYNC, "O_DSYNC"},        {oracle::kODirect, O_DIRECT, "O_DIRECT"},
      {oracle::kODirectory, O_DIRECTORY, "O_DIRECTORY"}, {oracle::kONofollow, O_NOFOLLOW, "O_NOFOLLOW"},
      {oracle::kONoatime, O_NOATIME, "O_NOATIME"},  {oracle::kOCloexec, O_CLOEXEC, "O_CLOEXEC"},
      {oracle::kOSync, O_SYNC, "O_SYNC"},           {oracle::kOPath, O_PATH, "O_PATH"},
      {oracle::kOTmpfile, O_TMPFILE, "O_TMPFILE"},
  };
  uint32_t all_guest = 0, all_host = 0;
  for (const auto& f : flags) {
    EXPECT_EQ(FlagsToHost(t, static_cast<uint32_t>(f.guest)), static_cast<uint32_t>(f.host)) << f.name;
    EXPECT_EQ(FlagsFromHost(t, static_cast<uint32_t>(f.host)), static_cast<uint32_t>(f.guest)) << f.name;
    all_guest |= static_cast<uint32_t>(f.guest);
    all_host |= static_cast<uint32_t>(f.host);
  }
  EXPECT_EQ(FlagsToHost(t, all_guest), all_host);
}

TEST(GuestStructs, FlagTranslationFollowsTheTable) {
  // A made-up layout where guest and host disagree, as arm64's will for O_DIRECTORY & co.
  const FlagPair swapped[] = {{0x1, 0x4}, {0x4, 0x1}};
  EXPECT_EQ(FlagsToHost(swapped, 0x1), 0x4u);
  EXPECT_EQ(FlagsToHost(swapped, 0x5), 0x5u);
  EXPECT_EQ(FlagsToHost(swapped, 0x4 | 0x100), 0x1u | 0x100u);  // unknown bits pass through
  EXPECT_EQ(FlagsFromHost(swapped, 0x4), 0x1u);
}

TEST(GuestStructs, Riscv64SignalFrameMatchesKernelAndGlibc) {
  using riscv64::RtSigFrame;
  using riscv64::SigContext;
  using riscv64::UContext;
  EXPECT_EQ(static_cast<long long>(offsetof(UContext, uc_flags)), oracle::kUcFlags);
  EXPECT_EQ(static_cast<long long>(offsetof(UContext, uc_link)), oracle::kUcLink);
  EXPECT_EQ(static_cast<long long>(offsetof(UContext, ss_sp)), oracle::kUcStack + oracle::kStackSp);
  EXPECT_EQ(static_cast<long long>(offsetof(UContext, ss_flags)), oracle::kUcStack + oracle::kStackFlags);
  EXPECT_EQ(static_cast<long long>(offsetof(UContext, ss_size)), oracle::kUcStack + oracle::kStackSize);
  EXPECT_EQ(static_cast<long long>(offsetof(UContext, uc_sigmask)), oracle::kUcSigmask);
  EXPECT_EQ(static_cast<long long>(offsetof(UContext, uc_mcontext)), oracle::kUcMcontext);
  EXPECT_EQ(static_cast<long long>(alignof(UContext)), oracle::kUcontextAlign);
  EXPECT_EQ(static_cast<long long>(sizeof(SigContext)), oracle::kSigcontextSize);
  EXPECT_EQ(static_cast<long long>(offsetof(SigContext, regs)), oracle::kScRegs);
  EXPECT_EQ(static_cast<long long>(offsetof(SigContext, regs) + 0 * 8), oracle::kScRegsPc);
  EXPECT_EQ(static_cast<long long>(offsetof(SigContext, regs) + 1 * 8), oracle::kScRegsRa);
  EXPECT_EQ(static_cast<long long>(offsetof(SigContext, regs) + 2 * 8), oracle::kScRegsSp);
  EXPECT_EQ(static_cast<long long>(offsetof(SigContext, regs) + 10 * 8), oracle::kScRegsA0);
  EXPECT_EQ(static_cast<long long>(offsetof(SigContext, regs) + 31 * 8), oracle::kScRegsT6);
  EXPECT_EQ(static_cast<long long>(offsetof(SigContext, fpregs)), oracle::kScFpD);
  EXPECT_EQ(static_cast<long long>(offsetof(SigContext, fcsr)), oracle::kScFcsr);
  EXPECT_EQ(oracle::kMcGregs, oracle::kScRegs);  // glibc's mcontext_t is the kernel's sigcontext
  EXPECT_EQ(oracle::kMcFpregs, oracle::kScFpregs);
  // rt_sigframe = { siginfo, ucontext }: ucontext right after the 128-byte siginfo.
  EXPECT_EQ(static_cast<long long>(sizeof(GuestSigInfo)), oracle::kSiginfoSize);
  EXPECT_EQ(static_cast<long long>(offsetof(RtSigFrame, uc)), oracle::kSiginfoSize);
  EXPECT_EQ(static_cast<long long>(offsetof(RtSigFrame, info)), 0);
}

TEST(GuestStructs, SigInfoFields) {
  EXPECT_EQ(static_cast<long long>(offsetof(GuestSigInfo, signo)), oracle::kSiginfoSigno);
  EXPECT_EQ(static_cast<long long>(offsetof(GuestSigInfo, code)), oracle::kSiginfoCode);
  EXPECT_EQ(static_cast<long long>(offsetof(GuestSigInfo, u) + offsetof(decltype(GuestSigInfo::u), fault)),
            oracle::kSiginfoAddr);
  EXPECT_EQ(static_cast<long long>(offsetof(GuestSigInfo, u)), oracle::kSiginfoPid);
  EXPECT_EQ(static_cast<long long>(offsetof(GuestSigInfo, u) + 4), oracle::kSiginfoUid);
}

TEST(GuestStructs, SignalConstantsAreTheGuests) {
  EXPECT_EQ(static_cast<long long>(kSaSigInfo), oracle::kSaSiginfo);
  EXPECT_EQ(static_cast<long long>(kSaRestart), oracle::kSaRestart);
  EXPECT_EQ(static_cast<long long>(kSaOnStack), oracle::kSaOnstack);
  EXPECT_EQ(static_cast<long long>(kSaNoDefer), oracle::kSaNodefer);
  EXPECT_EQ(static_cast<long long>(static_cast<int32_t>(kSaResetHand)), oracle::kSaResethand);
  EXPECT_EQ(kSsOnStack, oracle::kSsOnstack);
  EXPECT_EQ(kSsDisable, oracle::kSsDisable);
}

TEST(Signals, HostMappingKeepsStandardSignalsAndSkipsGlibcsRealtimeOnes) {
  for (int s = 1; s < 32; ++s) {
    EXPECT_EQ(GuestToHostSignal(s), s);
    EXPECT_EQ(HostToGuestSignal(s), s);
  }
  EXPECT_EQ(GuestToHostSignal(32), SIGRTMIN);  // host glibc's SIGRTMIN is raw 34
  EXPECT_EQ(HostToGuestSignal(SIGRTMIN), 32);
  EXPECT_EQ(HostToGuestSignal(32), 0);
  EXPECT_EQ(HostToGuestSignal(33), 0);
  EXPECT_EQ(GuestToHostSignal(64), 0);
  EXPECT_EQ(GuestToHostSignal(0), 0);
  EXPECT_EQ(SignalName(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(SignalName(34), "SIGRT2");
  EXPECT_EQ(DefaultActionOf(SIGCHLD), DefaultAction::kIgnore);
  EXPECT_EQ(DefaultActionOf(SIGSEGV), DefaultAction::kCore);
  EXPECT_EQ(DefaultActionOf(SIGTERM), DefaultAction::kTerminate);
}

}  // namespace
}  // namespace polyvm::linux
