// --strace: each guest syscall on stderr as `tid name(args) = result`, arguments decoded by the
// kinds the syscall table declares (strings and written buffers read fault-guarded).
#include "strace.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <cstdio>
#include <string>

#include "polyvm/linux/guest_structs.h"
#include "polyvm/linux/process.h"
#include "polyvm/linux/signals.h"
#include "polyvm/mem/guest_access.h"
#include "thread.h"

namespace polyvm::linux {

namespace {

struct FlagName {
  uint64_t value;
  const char* name;
};

// asm-generic values (riscv64, and x86-64 agrees) for the flags strace decodes.
constexpr FlagName kOpenFlags[] = {
    {O_WRONLY, "O_WRONLY"},       {O_RDWR, "O_RDWR"},         {O_CREAT, "O_CREAT"},
    {O_EXCL, "O_EXCL"},           {O_NOCTTY, "O_NOCTTY"},     {O_TRUNC, "O_TRUNC"},
    {O_APPEND, "O_APPEND"},       {O_NONBLOCK, "O_NONBLOCK"}, {O_DSYNC, "O_DSYNC"},
    {O_DIRECT, "O_DIRECT"},       {0100000, "O_LARGEFILE"},   {O_DIRECTORY, "O_DIRECTORY"},
    {O_NOFOLLOW, "O_NOFOLLOW"},   {O_NOATIME, "O_NOATIME"},   {O_CLOEXEC, "O_CLOEXEC"},
    {04000000, "__O_SYNC"},       {O_PATH, "O_PATH"},         {020000000, "__O_TMPFILE"},
};
constexpr FlagName kProt[] = {{PROT_READ, "PROT_READ"}, {PROT_WRITE, "PROT_WRITE"},
                              {PROT_EXEC, "PROT_EXEC"}};
constexpr FlagName kMapFlags[] = {
    {MAP_SHARED, "MAP_SHARED"},       {MAP_PRIVATE, "MAP_PRIVATE"},
    {MAP_FIXED, "MAP_FIXED"},         {MAP_ANONYMOUS, "MAP_ANONYMOUS"},
    {MAP_GROWSDOWN, "MAP_GROWSDOWN"}, {MAP_DENYWRITE, "MAP_DENYWRITE"},
    {MAP_EXECUTABLE, "MAP_EXECUTABLE"}, {MAP_LOCKED, "MAP_LOCKED"},
    {MAP_NORESERVE, "MAP_NORESERVE"}, {MAP_POPULATE, "MAP_POPULATE"},
    {MAP_NONBLOCK, "MAP_NONBLOCK"},   {MAP_STACK, "MAP_STACK"},
    {MAP_HUGETLB, "MAP_HUGETLB"},     {MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"},
};
constexpr const char* kFutexOps[] = {
    "FUTEX_WAIT",        "FUTEX_WAKE",          "FUTEX_FD",           "FUTEX_REQUEUE",
    "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP",       "FUTEX_LOCK_PI",      "FUTEX_UNLOCK_PI",
    "FUTEX_TRYLOCK_PI",  "FUTEX_WAIT_BITSET",   "FUTEX_WAKE_BITSET",  "FUTEX_WAIT_REQUEUE_PI",
    "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2",
};
constexpr const char* kClocks[] = {
    "CLOCK_REALTIME",        "CLOCK_MONOTONIC",      "CLOCK_PROCESS_CPUTIME_ID",
    "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE",
    "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME",      "CLOCK_REALTIME_ALARM",
    "CLOCK_BOOTTIME_ALARM",   "CLOCK_SGI_CYCLE",     "CLOCK_TAI",
};

void AppendHex(std::string& s, uint64_t v) {
  char buf[24];
  snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  s += buf;
}

void AppendFlags(std::string& s, uint64_t v, const FlagName* names, size_t n, const char* zero) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (names[i].value != 0 && (v & names[i].value) == names[i].value) {
      if (!out.empty()) out += '|';
      out += names[i].name;
      v &= ~names[i].value;
    }
  }
  if (v != 0 || out.empty()) {
    if (v == 0 && zero) {
      out = zero;
    } else {
      if (!out.empty()) out += '|';
      AppendHex(out, v);
    }
  }
  s += out;
}

void AppendQuoted(std::string& s, const std::string& text, bool truncated) {
  s += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '\n': s += "\\n"; break;
      case '\t': s += "\\t"; break;
      case '\r': s += "\\r"; break;
      case '"': s += "\\\""; break;
      case '\\': s += "\\\\"; break;
      default:
        if (c >= 32 && c < 127) {
          s += static_cast<char>(c);
        } else {
          char buf[8];
          snprintf(buf, sizeof buf, "\\%o", c);
          s += buf;
        }
    }
  }
  s += '"';
  if (truncated) s += "...";
}

void AppendArg(std::string& s, const mem::AddressSpace& as, ArgKind kind, uint64_t v,
               uint64_t next) {
  switch (kind) {
    case ArgKind::kDec: s += std::to_string(static_cast<int64_t>(v)); break;
    case ArgKind::kUDec: s += std::to_string(v); break;
    case ArgKind::kHex: AppendHex(s, v); break;
    case ArgKind::kPtr:
      if (v == 0) {
        s += "NULL";
      } else {
        AppendHex(s, v);
      }
      break;
    case ArgKind::kStr: {
      std::string str;
      int r = mem::ReadGuestString(as, v, str, 4095);
      if (r != 0) {
        AppendHex(s, v);
      } else {
        bool cut = str.size() > 64;
        if (cut) str.resize(64);
        AppendQuoted(s, str, cut);
      }
      break;
    }
    case ArgKind::kFd:
      if (static_cast<int32_t>(v) == AT_FDCWD) {
        s += "AT_FDCWD";
      } else {
        s += std::to_string(static_cast<int32_t>(v));
      }
      break;
    case ArgKind::kOct: {
      char buf[24];
      snprintf(buf, sizeof buf, "0%llo", static_cast<unsigned long long>(v));
      s += buf;
      break;
    }
    case ArgKind::kOpenFlags: {
      uint64_t acc = v & O_ACCMODE;
      std::string f = acc == O_RDONLY ? "O_RDONLY" : "";
      if (!f.empty() && (v & ~uint64_t{O_ACCMODE})) f += '|';
      s += f;
      if (v & ~uint64_t{O_RDONLY}) {
        AppendFlags(s, v, kOpenFlags, std::size(kOpenFlags), nullptr);
      }
      break;
    }
    case ArgKind::kProt: AppendFlags(s, v, kProt, std::size(kProt), "PROT_NONE"); break;
    case ArgKind::kMapFlags: AppendFlags(s, v, kMapFlags, std::size(kMapFlags), nullptr); break;
    case ArgKind::kSignal: {
      int sig = static_cast<int>(v);
      if (sig >= 1 && sig <= kGuestNsig) {
        s += SignalName(sig);
      } else {
        s += std::to_string(sig);
      }
      break;
    }
    case ArgKind::kOutBuf: {
      uint64_t n = next < 32 ? next : 32;
      std::string buf(n, '\0');
      if (mem::CopyFromGuest(as, buf.data(), v, n) != 0) {
        AppendHex(s, v);
      } else {
        AppendQuoted(s, buf, next > n);
      }
      break;
    }
    case ArgKind::kFutexOp: {
      uint64_t cmd = v & FUTEX_CMD_MASK;
      if (cmd < std::size(kFutexOps)) {
        s += kFutexOps[cmd];
      } else {
        s += std::to_string(cmd);
      }
      if (v & FUTEX_PRIVATE_FLAG) s += "|FUTEX_PRIVATE_FLAG";
      if (v & FUTEX_CLOCK_REALTIME) s += "|FUTEX_CLOCK_REALTIME";
      break;
    }
    case ArgKind::kClock:
      if (v < std::size(kClocks)) {
        s += kClocks[v];
      } else {
        s += std::to_string(static_cast<int64_t>(v));
      }
      break;
  }
}

}  // namespace

std::string FormatSyscallCall(const mem::AddressSpace& as, const SyscallEntry& e,
                              const SyscallArgs& a) {
  std::string s;
  if (e.name.empty()) {
    s = "syscall_" + std::to_string(a.nr) + "(";
  } else {
    s = std::string(e.name) + "(";
  }
  for (size_t i = 0; i < e.args.size(); ++i) {
    if (i) s += ',';
    AppendArg(s, as, e.args[i], a.arg[i], i + 1 < 6 ? a.arg[i + 1] : 0);
  }
  s += ')';
  return s;
}

std::string FormatSyscallResult(const SyscallEntry& e, int64_t r) {
  if (r == kNoResult) return " = ?";
  if (r == kRestartSys) return " = ? ERESTARTSYS (to be restarted)";
  if (r < 0 && r >= -4095) {
    const char* name = strerrorname_np(static_cast<int>(-r));
    return " = -1 " + std::string(name ? name : "E?") + " (" + strerror(static_cast<int>(-r)) + ")";
  }
  if (e.hex_result) {
    std::string s = " = ";
    AppendHex(s, static_cast<uint64_t>(r));
    return s;
  }
  return " = " + std::to_string(r);
}

void StraceCall(Thread& t, const SyscallEntry& e, const SyscallArgs& a) {
  // Open flags are named by their host values (arm64 numbers four of them differently).
  SyscallArgs shown = a;
  for (size_t i = 0; i < e.args.size(); ++i) {
    if (e.args[i] == ArgKind::kOpenFlags) {
      shown.arg[i] = FlagsToHost(t.proc.abi().OpenFlags(), static_cast<uint32_t>(a.arg[i]));
    }
  }
  std::string line = std::to_string(t.tid) + " " + FormatSyscallCall(t.proc.as(), e, shown);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void StraceResult(Thread&, const SyscallEntry& e, const SyscallArgs&, int64_t r) {
  std::string line = FormatSyscallResult(e, r) + "\n";
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace polyvm::linux
