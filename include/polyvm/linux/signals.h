// Guest signal numbers, their host counterparts, dispositions and the guest siginfo, shared by the
// syscall handlers, the host signal handler and the delivery code.
#pragma once

#include <signal.h>

#include <cstdint>
#include <string_view>

namespace polyvm::linux {

// Guest signals are 1..64 (Linux numbering, shared by riscv64, arm64 and x86-64 guests).
inline constexpr int kGuestNsig = 64;

// Standard signals map to themselves. Guest real-time signals 32..(32 + n) map onto the host's
// SIGRTMIN.. (host glibc keeps 32 and 33 for itself), so the top guest RT signals have no host
// counterpart (0).
int GuestToHostSignal(int guest);
int HostToGuestSignal(int host);  // 0 if the host signal has no guest number

inline constexpr uint64_t SigBit(int sig) { return uint64_t{1} << (sig - 1); }
// Signals that can never be blocked or caught.
inline constexpr uint64_t kUnblockable = SigBit(SIGKILL) | SigBit(SIGSTOP);
// Faults polyvm needs to see even while the guest blocks them.
inline constexpr uint64_t kSynchronousSignals =
    SigBit(SIGSEGV) | SigBit(SIGBUS) | SigBit(SIGILL) | SigBit(SIGFPE) | SigBit(SIGTRAP);

std::string_view SignalName(int guest);  // "SIGSEGV", "SIGRT3"; never allocates

enum class DefaultAction : uint8_t { kTerminate, kCore, kIgnore, kStop, kContinue };
DefaultAction DefaultActionOf(int guest);

// The generic 64-bit siginfo_t (riscv64, arm64 and x86-64 agree): 128 bytes.
struct GuestSigInfo {
  int32_t signo = 0;
  int32_t errno_ = 0;
  int32_t code = 0;
  int32_t pad0 = 0;
  union {
    uint8_t raw[112];
    struct {
      int32_t pid;
      uint32_t uid;
      uint64_t value;  // sigqueue value; SIGCHLD: int status at offset 24 instead
    } kill;
    struct {
      uint64_t addr;
    } fault;
  } u = {};
};
static_assert(sizeof(GuestSigInfo) == 128);

// Host siginfo -> guest siginfo (the layouts agree; only the signal number changes).
GuestSigInfo SigInfoFromHost(const siginfo_t& host);

// A guest's struct sigaction (the kernel's, as rt_sigaction sees it).
struct GuestSigaction {
  uint64_t handler = 0;  // SIG_DFL 0, SIG_IGN 1, else a guest address
  uint64_t flags = 0;
  uint64_t restorer = 0;
  uint64_t mask = 0;
};

// sigaltstack ss_flags (asm-generic).
inline constexpr int32_t kSsOnStack = 1;
inline constexpr int32_t kSsDisable = 2;
inline constexpr int32_t kSsAutoDisarm = INT32_MIN;  // 1u << 31

inline constexpr uint64_t kSigDfl = 0;
inline constexpr uint64_t kSigIgn = 1;

// asm-generic sa_flags (the x86-64 guest uses the same values).
inline constexpr uint64_t kSaNoCldStop = 0x00000001;
inline constexpr uint64_t kSaNoCldWait = 0x00000002;
inline constexpr uint64_t kSaSigInfo = 0x00000004;
inline constexpr uint64_t kSaRestorer = 0x04000000;
inline constexpr uint64_t kSaOnStack = 0x08000000;
inline constexpr uint64_t kSaRestart = 0x10000000;
inline constexpr uint64_t kSaNoDefer = 0x40000000;
inline constexpr uint64_t kSaResetHand = 0x80000000;

}  // namespace polyvm::linux
