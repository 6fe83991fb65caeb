// Guest signal numbers and names, their host counterparts, default actions, siginfo conversion.
#include "polyvm/linux/signals.h"

#include <cstring>
#include <string>

namespace polyvm::linux {

namespace {

// Host raw numbers 32 and 33 belong to the host's glibc (thread cancellation, setxid broadcast).
constexpr int kHostRtFirst = 34;
constexpr int kGuestRtFirst = 32;

constexpr const char* kNames[32] = {
    nullptr,   "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP", "SIGABRT", "SIGBUS",
    "SIGFPE",  "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",   "SIGPIPE", "SIGALRM", "SIGTERM",
    "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU", "SIGURG",
    "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",   "SIGPWR",  "SIGSYS",
};

}  // namespace

int GuestToHostSignal(int guest) {
  if (guest < 1 || guest > kGuestNsig) return 0;
  if (guest < kGuestRtFirst) return guest;
  int host = kHostRtFirst + (guest - kGuestRtFirst);
  return host <= SIGRTMAX ? host : 0;
}

int HostToGuestSignal(int host) {
  if (host < 1 || host > SIGRTMAX) return 0;
  if (host < kGuestRtFirst) return host;
  if (host < kHostRtFirst) return 0;
  return kGuestRtFirst + (host - kHostRtFirst);
}

namespace {

// "SIGRT0".."SIGRT32", built at compile time: SignalName runs inside host signal handlers, where
// allocating is not allowed.
struct RtNames {
  char name[kGuestNsig + 1][8] = {};
  constexpr RtNames() {
    for (int s = 32; s <= kGuestNsig; ++s) {
      const char prefix[] = "SIGRT";
      int i = 0;
      for (; prefix[i]; ++i) name[s][i] = prefix[i];
      int n = s - 32;
      if (n >= 10) name[s][i++] = static_cast<char>('0' + n / 10);
      name[s][i++] = static_cast<char>('0' + n % 10);
    }
  }
};
constexpr RtNames kRtNames;

}  // namespace

std::string_view SignalName(int guest) {
  if (guest >= 1 && guest < 32) return kNames[guest];
  if (guest >= 32 && guest <= kGuestNsig) return kRtNames.name[guest];
  return "an unknown signal";
}

DefaultAction DefaultActionOf(int guest) {
  switch (guest) {
    case SIGCHLD: case SIGURG: case SIGWINCH:
      return DefaultAction::kIgnore;
    case SIGCONT:
      return DefaultAction::kContinue;
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
      return DefaultAction::kStop;
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS: case SIGFPE:
    case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
      return DefaultAction::kCore;
    default:
      return DefaultAction::kTerminate;
  }
}

GuestSigInfo SigInfoFromHost(const siginfo_t& host) {
  GuestSigInfo g;
  static_assert(sizeof(siginfo_t) == sizeof(GuestSigInfo));
  std::memcpy(static_cast<void*>(&g), &host, sizeof g);
  g.signo = HostToGuestSignal(host.si_signo);
  if (host.si_signo == SIGCHLD && (host.si_code == CLD_KILLED || host.si_code == CLD_DUMPED)) {
    // si_status holds the child's signal: host numbering -> guest numbering.
    int32_t status;
    std::memcpy(&status, g.u.raw + 8, sizeof status);
    status = HostToGuestSignal(status);
    std::memcpy(g.u.raw + 8, &status, sizeof status);
  }
  return g;
}

}  // namespace polyvm::linux
