// Threads and processes: clone/clone3 (a guest thread is a host thread with its own vCPU; a new
// process is a host fork), exit and exit_group, set_tid_address, futex (passed to the host on the
// guest's memory, which is host memory), robust lists.
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <pthread.h>
#include <semaphore.h>

#include <cstdio>
#include <cstring>

#include "dispatch.h"
#include "polyvm/linux/process.h"
#include "signal_delivery.h"
#include "sys_util.h"

namespace polyvm::linux {

namespace {

struct CloneRequest {
  uint64_t flags = 0;
  uint64_t stack = 0;  // new stack pointer, 0 = keep
  uint64_t ptid = 0;
  uint64_t ctid = 0;
  uint64_t tls = 0;
  int exit_signal = 0;  // guest signal number sent to the parent when a child process ends
};

struct ThreadStart {
  Thread* child;
  uint64_t flags;
  uint64_t ptid;
  uint64_t ctid;
  sem_t ready;
  int tid;
};

void* ThreadMain(void* arg) {
  auto* start = static_cast<ThreadStart*>(arg);
  Thread* t = start->child;
  Process& p = t->proc;
  t->tid = static_cast<int>(syscall(SYS_gettid));
  const int32_t tid = t->tid;
  if (start->flags & CLONE_CHILD_SETTID) mem::WriteGuest(p.as(), start->ctid, tid);
  if (start->flags & CLONE_PARENT_SETTID) mem::WriteGuest(p.as(), start->ptid, tid);
  p.AddThread(t);
  p.threads_created.fetch_add(1, std::memory_order_relaxed);
  start->tid = tid;
  sem_post(&start->ready);  // `start` lives on the parent's stack: not touched after this
  SetThreadMask(*t, t->sigmask);
  RunThread(*t);
  delete t;
  return nullptr;
}

int64_t NewThread(SyscallContext& ctx, const CloneRequest& r) {
  Process& p = ctx.proc;
  const GuestAbi& abi = ctx.abi;
  auto* child = new Thread(p);
  abi.CopyState(child->state, ctx.thread.state);  // pc is already past the syscall
  abi.SetSyscallResult(child->state, 0);
  if (r.stack != 0) abi.SetSp(child->state, r.stack);
  if (r.flags & CLONE_SETTLS) abi.SetTp(child->state, r.tls);
  child->sigmask = ctx.thread.sigmask;
  child->clear_child_tid = (r.flags & CLONE_CHILD_CLEARTID) ? r.ctid : 0;

  ThreadStart start{child, r.flags, r.ptid, r.ctid, {}, 0};
  sem_init(&start.ready, 0, 0);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 8u << 20);
  // The new host thread starts with every signal blocked and takes the guest mask itself, so no
  // host signal reaches it before it can handle one.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pthread_t handle;
  int err = pthread_create(&handle, &attr, ThreadMain, &start);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  pthread_attr_destroy(&attr);
  if (err != 0) {
    sem_destroy(&start.ready);
    delete child;
    return -EAGAIN;
  }
  while (sem_wait(&start.ready) != 0 && errno == EINTR) {
  }
  const int tid = start.tid;  // not child->tid: the child may already have exited and gone
  sem_destroy(&start.ready);
  return tid;
}

int64_t ForkProcess(SyscallContext& ctx, const CloneRequest& r) {
  Thread& t = ctx.thread;
  Process& p = ctx.proc;
  const GuestAbi& abi = ctx.abi;
  // CLONE_VFORK: the parent waits until the child execs or exits, which closes this pipe's write
  // end (close-on-exec) in the child. Memory is not shared as with a real vfork.
  int vfork_pipe[2] = {-1, -1};
  if ((r.flags & CLONE_VFORK) && pipe2(vfork_pipe, O_CLOEXEC) != 0) return -errno;
  std::fflush(nullptr);
  pid_t pid;
  // Other guest threads may be changing the mapping table: hold it still across the fork. (The
  // engine's own locks are its business; docs/linux-user.md notes the risk.)
  p.as().LockForFork();
  if (r.exit_signal == SIGCHLD) {
    pid = fork();
  } else {
    int host_sig = r.exit_signal == 0 ? 0 : GuestToHostSignal(r.exit_signal);
    pid = static_cast<pid_t>(syscall(SYS_clone, host_sig, 0, 0, 0, 0));
  }
  if (pid == 0) {
    p.as().ResetLockAfterForkInChild();
  } else {
    p.as().UnlockAfterForkInParent();
  }
  if (pid < 0) {
    int err = errno;
    if (vfork_pipe[0] >= 0) {
      close(vfork_pipe[0]);
      close(vfork_pipe[1]);
    }
    return -err;
  }
  if (pid == 0) {
    if (vfork_pipe[0] >= 0) close(vfork_pipe[0]);
    p.ResetAfterFork(&t);
    if (r.stack != 0) abi.SetSp(t.state, r.stack);
    if (r.flags & CLONE_SETTLS) abi.SetTp(t.state, r.tls);
    if (r.flags & CLONE_CHILD_SETTID) mem::WriteGuest(p.as(), r.ctid, static_cast<int32_t>(t.tid));
    t.clear_child_tid = (r.flags & CLONE_CHILD_CLEARTID) ? r.ctid : 0;
    return 0;
  }
  if (r.flags & CLONE_PARENT_SETTID) mem::WriteGuest(p.as(), r.ptid, static_cast<int32_t>(pid));
  if (vfork_pipe[0] >= 0) {
    close(vfork_pipe[1]);
    char c;
    while (read(vfork_pipe[0], &c, 1) < 0 && errno == EINTR) {
    }
    close(vfork_pipe[0]);
  }
  return pid;
}

void WarnUnsupportedClone(SyscallContext& ctx, uint64_t flags, const char* why) {
  if (ctx.proc.options().warn_unimplemented || ctx.proc.options().strace) {
    std::fprintf(stderr, "polyvm: unsupported clone flags 0x%llx: %s\n",
                 static_cast<unsigned long long>(flags), why);
  }
}

int64_t DoClone(SyscallContext& ctx, const CloneRequest& r) {
  constexpr uint64_t kNamespaces = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |
                                   CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_PIDFD |
                                   CLONE_PTRACE | CLONE_UNTRACED | CLONE_PARENT;
  if (r.flags & kNamespaces) {
    WarnUnsupportedClone(ctx, r.flags, "namespaces, pidfds, ptrace and CLONE_PARENT are not supported");
    return -EINVAL;
  }
  if (r.flags & CLONE_THREAD) {
    if ((r.flags & (CLONE_VM | CLONE_SIGHAND)) != (CLONE_VM | CLONE_SIGHAND)) return -EINVAL;
    if ((r.flags & (CLONE_FS | CLONE_FILES)) != (CLONE_FS | CLONE_FILES)) {
      WarnUnsupportedClone(ctx, r.flags, "a thread must share files and fs (host threads do)");
      return -EINVAL;
    }
    return NewThread(ctx, r);
  }
  if ((r.flags & CLONE_VM) && !(r.flags & CLONE_VFORK)) {
    WarnUnsupportedClone(ctx, r.flags, "a process sharing memory without CLONE_THREAD");
    return -EINVAL;
  }
  return ForkProcess(ctx, r);
}

}  // namespace

int64_t SysClone(SyscallContext& ctx, const SyscallArgs& a) {
  CloneRequest r;
  r.flags = a.arg[0] & ~uint64_t{0xff};
  r.exit_signal = static_cast<int>(a.arg[0] & 0xff);
  r.stack = a.arg[1];
  r.ptid = a.arg[2];
  if (ctx.abi.CloneTlsBeforeCtid()) {
    r.tls = a.arg[3];
    r.ctid = a.arg[4];
  } else {
    r.ctid = a.arg[3];
    r.tls = a.arg[4];
  }
  return DoClone(ctx, r);
}

int64_t SysClone3(SyscallContext& ctx, const SyscallArgs& a) {
  // struct clone_args: flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
  // set_tid, set_tid_size, cgroup (u64 each).
  uint64_t args[11] = {};
  const uint64_t size = a.arg[1];
  if (size < 64 || size > 4096) return -EINVAL;
  if (mem::CopyFromGuest(ctx.as, args, a.arg[0], std::min<uint64_t>(size, sizeof args)) != 0) {
    return -EFAULT;
  }
  if (size > sizeof args) {  // unknown trailing fields must be zero
    for (uint64_t off = sizeof args; off < size; off += 8) {
      uint64_t v = 0;
      if (mem::CopyFromGuest(ctx.as, &v, a.arg[0] + off, std::min<uint64_t>(8, size - off)) != 0) {
        return -EFAULT;
      }
      if (v != 0) return -E2BIG;
    }
  }
  if (args[9] != 0 || (args[0] & (CLONE_INTO_CGROUP | CLONE_CLEAR_SIGHAND))) {
    WarnUnsupportedClone(ctx, args[0], "set_tid, cgroups and CLONE_CLEAR_SIGHAND are not supported");
    return -EINVAL;
  }
  if (args[4] > static_cast<uint64_t>(kGuestNsig)) return -EINVAL;
  CloneRequest r;
  r.flags = args[0];
  r.ctid = args[2];
  r.ptid = args[3];
  r.exit_signal = static_cast<int>(args[4]);
  r.stack = args[5] != 0 ? args[5] + args[6] : 0;
  r.tls = args[7];
  return DoClone(ctx, r);
}

int64_t SysExit(SyscallContext& ctx, const SyscallArgs& a) {
  Thread& t = ctx.thread;
  const int status = static_cast<int>(a.arg[0] & 0xff);
  if (t.clear_child_tid != 0 && ctx.as.Contains(t.clear_child_tid, 4)) {
    if (mem::WriteGuest(ctx.as, t.clear_child_tid, int32_t{0}) == 0) {
      HostCall(SYS_futex, P(ctx.as.ToHost(t.clear_child_tid)), FUTEX_WAKE, 1, 0, 0, 0);
    }
  }
  t.exit_status = status;
  t.exiting = true;
  if (ctx.proc.RemoveThread(&t) == 0) ctx.proc.Exit(status);
  return kNoResult;
}

int64_t SysExitGroup(SyscallContext& ctx, const SyscallArgs& a) {
  ctx.proc.Exit(static_cast<int>(a.arg[0] & 0xff));
}

int64_t SysSetTidAddress(SyscallContext& ctx, const SyscallArgs& a) {
  ctx.thread.clear_child_tid = a.arg[0];
  return ctx.thread.tid;
}

int64_t SysSetRobustList(SyscallContext& ctx, const SyscallArgs& a) {
  // The kernel walks this list (guest pointers) when the thread dies; polyvm records it for
  // get_robust_list but does not walk it (docs/linux-user.md).
  if (a.arg[1] != 24) return -EINVAL;
  ctx.thread.robust_list = a.arg[0];
  ctx.thread.robust_len = a.arg[1];
  return 0;
}

int64_t SysGetRobustList(SyscallContext& ctx, const SyscallArgs& a) {
  const int pid = Fd(a.arg[0]);
  Thread* t = pid == 0 ? &ctx.thread : ctx.proc.FindThread(pid);
  if (t == nullptr) return pid > 0 ? -EPERM : -ESRCH;
  if (mem::WriteGuest(ctx.as, a.arg[1], t->robust_list) != 0) return -EFAULT;
  if (mem::WriteGuest(ctx.as, a.arg[2], t->robust_len) != 0) return -EFAULT;
  return 0;
}

int64_t SysFutex(SyscallContext& ctx, const SyscallArgs& a) {
  const uint64_t uaddr = a.arg[0];
  const int op = static_cast<int>(a.arg[1]);
  const int cmd = op & FUTEX_CMD_MASK;
  if (uaddr % 4 != 0) return -EINVAL;
  void* host = ctx.Buf(uaddr, 4);
  if (!host) return -EFAULT;
  auto second = [&](void** out) -> bool {
    if (a.arg[4] % 4 != 0) return false;
    *out = ctx.Buf(a.arg[4], 4);
    return *out != nullptr;
  };
  switch (cmd) {
    case FUTEX_WAIT: case FUTEX_WAIT_BITSET: case FUTEX_LOCK_PI: case FUTEX_LOCK_PI2: {
      bool bad = false;
      void* ts = OptBuf(ctx, a.arg[3], 16, &bad);
      if (bad) return -EFAULT;
      return SafeSyscall(ctx.thread, SYS_futex, P(host), op, L(a.arg[2]), P(ts), 0, L(a.arg[5]));
    }
    case FUTEX_WAIT_REQUEUE_PI: {
      bool bad = false;
      void* ts = OptBuf(ctx, a.arg[3], 16, &bad);
      void* host2;
      if (bad || !second(&host2)) return -EFAULT;
      return SafeSyscall(ctx.thread, SYS_futex, P(host), op, L(a.arg[2]), P(ts), P(host2),
                         L(a.arg[5]));
    }
    case FUTEX_WAKE: case FUTEX_WAKE_BITSET: case FUTEX_UNLOCK_PI: case FUTEX_TRYLOCK_PI:
      return HostCall(SYS_futex, P(host), op, L(a.arg[2]), L(a.arg[3]), 0, L(a.arg[5]));
    case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: case FUTEX_WAKE_OP: case FUTEX_CMP_REQUEUE_PI: {
      void* host2;
      if (!second(&host2)) return -EFAULT;
      // arg 3 is the integer val2 here, not a timeout.
      return HostCall(SYS_futex, P(host), op, L(a.arg[2]), L(a.arg[3]), P(host2), L(a.arg[5]));
    }
    default:
      return -ENOSYS;
  }
}

}  // namespace polyvm::linux
