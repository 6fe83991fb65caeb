// Sockets, passed through: sockaddrs, option values and control messages have the same layout on
// every 64-bit Linux; msghdr holds guest pointers, rebuilt with host pointers.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <vector>

#include "sys_util.h"

namespace polyvm::linux {

namespace {

uint32_t SockTypeToHost(SyscallContext& ctx, uint64_t type) {
  // SOCK_NONBLOCK and SOCK_CLOEXEC are O_NONBLOCK and O_CLOEXEC of the guest.
  const uint32_t kind = static_cast<uint32_t>(type) & 0xf;
  return kind | (OpenFlagsToHost(ctx, type & ~uint64_t{0xf}) & (O_NONBLOCK | O_CLOEXEC));
}

// The guest msghdr (same layout as the host's, with guest pointers) and a host copy of it.
struct MsgBuffers {
  struct msghdr host = {};
  std::vector<iovec> iov;
};

int64_t HostMsghdr(SyscallContext& ctx, uint64_t addr, MsgBuffers* out) {
  struct msghdr g;
  if (mem::ReadGuest(ctx.as, addr, g) != 0) return -EFAULT;
  const uint64_t name = reinterpret_cast<uint64_t>(g.msg_name);
  const uint64_t iov = reinterpret_cast<uint64_t>(g.msg_iov);
  const uint64_t control = reinterpret_cast<uint64_t>(g.msg_control);
  if (g.msg_iovlen > 1024) return -EMSGSIZE;
  out->host = g;
  bool bad = false;
  out->host.msg_name = OptBuf(ctx, name, g.msg_namelen, &bad);
  out->host.msg_control = OptBuf(ctx, control, g.msg_controllen, &bad);
  if (bad) return -EFAULT;
  out->iov.resize(g.msg_iovlen);
  for (size_t i = 0; i < g.msg_iovlen; ++i) {
    uint64_t pair[2];
    if (mem::CopyFromGuest(ctx.as, pair, iov + 16 * i, sizeof pair) != 0) return -EFAULT;
    void* p = ctx.Buf(pair[0], pair[1]);
    if (!p) return -EFAULT;
    out->iov[i] = {p, pair[1]};
  }
  out->host.msg_iov = out->iov.data();
  return 0;
}

// A (sockaddr*, socklen_t*) pair of guest pointers as host pointers.
int64_t AddrPair(SyscallContext& ctx, uint64_t addr, uint64_t len_addr, void** a, void** l) {
  *a = nullptr;
  *l = nullptr;
  if (len_addr == 0) return 0;
  uint32_t len;
  if (mem::ReadGuest(ctx.as, len_addr, len) != 0) return -EFAULT;
  *l = ctx.Buf(len_addr, 4);
  bool bad = false;
  *a = OptBuf(ctx, addr, len, &bad);
  return bad ? -EFAULT : 0;
}

}  // namespace

int64_t SysSocket(SyscallContext& ctx, const SyscallArgs& a) {
  return HostCall(SYS_socket, L(a.arg[0]), SockTypeToHost(ctx, a.arg[1]), L(a.arg[2]));
}

int64_t SysSocketpair(SyscallContext& ctx, const SyscallArgs& a) {
  int sv[2];
  int64_t r = HostCall(SYS_socketpair, L(a.arg[0]), SockTypeToHost(ctx, a.arg[1]), L(a.arg[2]), P(sv));
  if (r < 0) return r;
  if (mem::CopyToGuest(ctx.as, a.arg[3], sv, sizeof sv) != 0) {
    close(sv[0]);
    close(sv[1]);
    return -EFAULT;
  }
  return 0;
}

int64_t SysBind(SyscallContext& ctx, const SyscallArgs& a) {
  void* addr = ctx.Buf(a.arg[1], a.arg[2]);
  if (!addr) return -EFAULT;
  return HostCall(SYS_bind, Fd(a.arg[0]), P(addr), L(a.arg[2]));
}

int64_t SysConnect(SyscallContext& ctx, const SyscallArgs& a) {
  void* addr = ctx.Buf(a.arg[1], a.arg[2]);
  if (!addr) return -EFAULT;
  return SafeSyscall(ctx.thread, SYS_connect, Fd(a.arg[0]), P(addr), L(a.arg[2]));
}

int64_t SysListen(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_listen, Fd(a.arg[0]), L(a.arg[1]));
}

int64_t SysAccept(SyscallContext& ctx, const SyscallArgs& a) {
  void *addr, *len;
  if (int64_t r = AddrPair(ctx, a.arg[1], a.arg[2], &addr, &len); r != 0) return r;
  return SafeSyscall(ctx.thread, SYS_accept, Fd(a.arg[0]), P(addr), P(len));
}

int64_t SysAccept4(SyscallContext& ctx, const SyscallArgs& a) {
  void *addr, *len;
  if (int64_t r = AddrPair(ctx, a.arg[1], a.arg[2], &addr, &len); r != 0) return r;
  return SafeSyscall(ctx.thread, SYS_accept4, Fd(a.arg[0]), P(addr), P(len),
                     SockTypeToHost(ctx, a.arg[3]));
}

int64_t SysGetsockname(SyscallContext& ctx, const SyscallArgs& a) {
  void *addr, *len;
  if (int64_t r = AddrPair(ctx, a.arg[1], a.arg[2], &addr, &len); r != 0) return r;
  return HostCall(SYS_getsockname, Fd(a.arg[0]), P(addr), P(len));
}

int64_t SysGetpeername(SyscallContext& ctx, const SyscallArgs& a) {
  void *addr, *len;
  if (int64_t r = AddrPair(ctx, a.arg[1], a.arg[2], &addr, &len); r != 0) return r;
  return HostCall(SYS_getpeername, Fd(a.arg[0]), P(addr), P(len));
}

int64_t SysSendto(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* buf = ctx.Buf(a.arg[1], a.arg[2]);
  void* addr = OptBuf(ctx, a.arg[4], a.arg[5], &bad);
  if (!buf || bad) return -EFAULT;
  return SafeSyscall(ctx.thread, SYS_sendto, Fd(a.arg[0]), P(buf), L(a.arg[2]), L(a.arg[3]), P(addr),
                     L(a.arg[5]));
}

int64_t SysRecvfrom(SyscallContext& ctx, const SyscallArgs& a) {
  void* buf = ctx.Buf(a.arg[1], a.arg[2]);
  if (!buf) return -EFAULT;
  void *addr, *len;
  if (int64_t r = AddrPair(ctx, a.arg[4], a.arg[5], &addr, &len); r != 0) return r;
  return SafeSyscall(ctx.thread, SYS_recvfrom, Fd(a.arg[0]), P(buf), L(a.arg[2]), L(a.arg[3]),
                     P(addr), P(len));
}

int64_t SysSetsockopt(SyscallContext& ctx, const SyscallArgs& a) {
  const int level = static_cast<int>(a.arg[1]), name = static_cast<int>(a.arg[2]);
  // Socket filters carry pointers to guest code-like data (struct sock_fprog).
  if (level == SOL_SOCKET && (name == SO_ATTACH_FILTER || name == SO_ATTACH_REUSEPORT_CBPF)) {
    return -ENOPROTOOPT;
  }
  bool bad = false;
  void* val = OptBuf(ctx, a.arg[3], a.arg[4], &bad);
  if (bad) return -EFAULT;
  return HostCall(SYS_setsockopt, Fd(a.arg[0]), level, name, P(val), L(a.arg[4]));
}

int64_t SysGetsockopt(SyscallContext& ctx, const SyscallArgs& a) {
  void *val, *len;
  if (int64_t r = AddrPair(ctx, a.arg[3], a.arg[4], &val, &len); r != 0) return r;
  return HostCall(SYS_getsockopt, Fd(a.arg[0]), L(a.arg[1]), L(a.arg[2]), P(val), P(len));
}

int64_t SysShutdown(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_shutdown, Fd(a.arg[0]), L(a.arg[1]));
}

int64_t SysSendmsg(SyscallContext& ctx, const SyscallArgs& a) {
  MsgBuffers m;
  if (int64_t r = HostMsghdr(ctx, a.arg[1], &m); r != 0) return r;
  return SafeSyscall(ctx.thread, SYS_sendmsg, Fd(a.arg[0]), P(&m.host), L(a.arg[2]));
}

int64_t SysRecvmsg(SyscallContext& ctx, const SyscallArgs& a) {
  MsgBuffers m;
  if (int64_t r = HostMsghdr(ctx, a.arg[1], &m); r != 0) return r;
  int64_t r = SafeSyscall(ctx.thread, SYS_recvmsg, Fd(a.arg[0]), P(&m.host), L(a.arg[2]));
  if (r < 0) return r;
  // The kernel updates namelen, controllen and flags in the caller's msghdr.
  struct msghdr g;
  if (mem::ReadGuest(ctx.as, a.arg[1], g) != 0) return -EFAULT;
  g.msg_namelen = m.host.msg_namelen;
  g.msg_controllen = m.host.msg_controllen;
  g.msg_flags = m.host.msg_flags;
  if (mem::WriteGuest(ctx.as, a.arg[1], g) != 0) return -EFAULT;
  return r;
}

}  // namespace polyvm::linux
