// The dispatch loop around ExecutionEngine::Run: system calls go to the table's handlers, guest
// faults and traps become synchronous signals (with the one-line report if they kill), and
// pending signals are delivered at every return from the engine.
#include "dispatch.h"

#include <errno.h>
#include <time.h>

#include <cstdio>
#include <string>

#include "code_write_fault.h"
#include "handlers.h"
#include "one_off_fetch.h"
#include "polyvm/linux/process.h"
#include "signal_delivery.h"
#include "strace.h"
#include "thread.h"

namespace polyvm::linux {

namespace {

uint64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

std::string Hex(uint64_t v) {
  char buf[24];
  snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string ProtString(uint32_t prot) {
  std::string s = "---";
  if (prot & mem::kProtRead) s[0] = 'r';
  if (prot & mem::kProtWrite) s[1] = 'w';
  if (prot & mem::kProtExec) s[2] = 'x';
  return s;
}

void HandleSyscall(Thread& t, const core::ExitInfo& e) {
  Process& p = t.proc;
  const GuestAbi& abi = p.abi();
  SyscallArgs a = abi.GetSyscall(t.state);
  t.syscall_pc = e.pc;
  t.syscalls.fetch_add(1, std::memory_order_relaxed);
  const SyscallEntry& entry = abi.Syscalls().Lookup(a.nr);
  const bool strace = p.options().strace;
  if (strace) StraceCall(t, entry, a);
  int64_t r;
  if (entry.handler == nullptr) {
    if ((strace || p.options().warn_unimplemented) && p.FirstUnimplemented(a.nr)) {
      std::fprintf(stderr, "polyvm: unimplemented syscall %llu (%s)\n",
                   static_cast<unsigned long long>(a.nr),
                   entry.name.empty() ? "unknown" : std::string(entry.name).c_str());
    }
    r = -ENOSYS;
  } else {
    SyscallContext ctx(p, t);
    r = entry.handler(ctx, a);
  }
  if (strace) StraceResult(t, entry, a, r);
  if (r == kNoResult) return;
  if (r == kRestartSys) {
    t.state->pc = e.pc;  // back onto the syscall instruction; delivery decides
    t.restart_pending = true;
    return;
  }
  abi.SetSyscallResult(t.state, r);
}

void HandleMemoryFault(Thread& t, const core::ExitInfo& e) {
  mem::AddressSpace& as = t.proc.as();
  t.state->pc = e.pc;
  auto m = as.Contains(e.addr, 1) ? as.Find(e.addr) : std::nullopt;
  GuestSigInfo info;
  const char* access = e.access == core::MemAccess::kWrite   ? "write to"
                       : e.access == core::MemAccess::kFetch ? "instruction fetch from"
                                                             : "read from";
  std::string what;
  int sig;
  if (e.bus_error) {
    sig = SIGBUS;
    info.code = BUS_ADRERR;
    what = std::string(access) + " " + Hex(e.addr) + " beyond the end of a mapped file";
  } else {
    sig = SIGSEGV;
    info.code = m ? SEGV_ACCERR : SEGV_MAPERR;
    what = m ? std::string(access) + " protected (" + ProtString(m->prot) + ") address " +
                   Hex(e.addr)
             : std::string(access) + " unmapped address " + Hex(e.addr);
  }
  info.signo = sig;
  info.u.fault.addr = e.addr;
  // A page past the end of its file never gets a translation; other mapped pages are taken to
  // be populated (polyvm does not track which ones a native kernel would have faulted in yet).
  const bool present = !e.bus_error && m.has_value() && m->prot != mem::kProtNone;
  t.fault_code = t.proc.abi().FaultSyndrome({e.access, present, e.addr});
  RaiseSynchronous(t, sig, info,
                   "polyvm: guest killed by " + std::string(SignalName(sig)) + " at pc " +
                       Hex(e.pc) + ": " + what);
}

void HandleTrap(Thread& t, const core::ExitInfo& e) {
  t.state->pc = e.pc;
  GuestSigInfo info;
  info.u.fault.addr = e.pc;
  std::string what;
  int sig = SIGILL;
  char bits[32];
  snprintf(bits, sizeof bits, "0x%08llx", static_cast<unsigned long long>(e.info));
  switch (e.trap) {
    case core::TrapCode::kBreakpoint:
      sig = SIGTRAP;
      info.code = TRAP_BRKPT;
      what = "breakpoint";
      break;
    case core::TrapCode::kMisaligned:
      sig = SIGBUS;
      info.code = BUS_ADRALN;
      info.u.fault.addr = e.addr;
      what = "misaligned access to " + Hex(e.addr);
      break;
    case core::TrapCode::kDivideError:
      sig = SIGFPE;
      info.code = FPE_INTDIV;
      what = "integer divide error";
      break;
    case core::TrapCode::kFetchFault: {
      sig = SIGSEGV;
      uint64_t addr = e.info != 0 ? e.info : e.pc;
      auto m = t.proc.as().Contains(addr, 1) ? t.proc.as().Find(addr) : std::nullopt;
      info.code = m ? SEGV_ACCERR : SEGV_MAPERR;
      info.u.fault.addr = addr;
      t.fault_code = t.proc.abi().FaultSyndrome(
          {core::MemAccess::kFetch, m.has_value() && m->prot != mem::kProtNone, addr});
      what = std::string("instruction fetch from ") +
             (m ? "non-executable (" + ProtString(m->prot) + ") address " : "unmapped address ") +
             Hex(addr);
      break;
    }
    case core::TrapCode::kUnsupported:
      t.fault_code = 0;  // as Linux's arm64_notify_die() for an undefined instruction
      info.code = ILL_ILLOPC;
      what = std::string("instruction ") + bits + " is valid but not implemented by polyvm";
      break;
    case core::TrapCode::kIllegalInstruction:
    case core::TrapCode::kNone:
    default:
      t.fault_code = 0;
      info.code = ILL_ILLOPC;
      what = std::string("illegal instruction ") + bits;
      break;
  }
  info.signo = sig;
  RaiseSynchronous(t, sig, info,
                   "polyvm: guest killed by " + std::string(SignalName(sig)) + " at pc " +
                       Hex(e.pc) + ": " + what);
}

}  // namespace

void RunThread(Thread& t) {
  SetCurrentThread(&t);
  Process& p = t.proc;
  core::ExecutionEngine& engine = p.engine();
  // Signals that arrived before this thread's first instruction.
  DeliverPendingSignals(t);
  for (;;) {
    const uint64_t t0 = NowNs();
    core::ExitInfo e = engine.Run(t.vcpu);
    const uint64_t t1 = NowNs();
    t.engine_ns.fetch_add(t1 - t0, std::memory_order_relaxed);
    // A store into its own code page ran alone (code_write_fault.cpp): go on after it.
    const bool one_off_done = EndOneOffFetch(e);
    switch (e.reason) {
      case core::ExitReason::kSyscall:
        HandleSyscall(t, e);
        t.syscall_ns.fetch_add(NowNs() - t1, std::memory_order_relaxed);
        break;
      case core::ExitReason::kMemoryFault:
        if (one_off_done) {
          t.state->pc = e.pc;
        } else if (!ResolveCodeWriteFault(t, e)) {
          HandleMemoryFault(t, e);
        }
        break;
      case core::ExitReason::kTrap:
        if (one_off_done) {
          t.state->pc = e.pc;
        } else {
          HandleTrap(t, e);
        }
        break;
      case core::ExitReason::kInterrupt:
        break;
      case core::ExitReason::kHalt: {
        // wfi/hlt in user mode is a privileged instruction: Linux sends SIGILL.
        core::ExitInfo ill = e;
        ill.trap = core::TrapCode::kIllegalInstruction;
        HandleTrap(t, ill);
        break;
      }
    }
    if (t.exiting) break;
    DeliverPendingSignals(t);
  }
  p.syscalls.fetch_add(t.syscalls.exchange(0), std::memory_order_relaxed);
  p.syscall_ns.fetch_add(t.syscall_ns.exchange(0), std::memory_order_relaxed);
  p.engine_ns.fetch_add(t.engine_ns.exchange(0), std::memory_order_relaxed);
  SetCurrentThread(nullptr);
}

}  // namespace polyvm::linux
