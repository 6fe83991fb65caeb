// ioctl: a table of the terminal and file ioctls ordinary programs use (the legacy 0x54xx numbers
// carry no size, so each is listed with its argument), plus the _IOC-encoded ones whose size and
// direction say how big the pointed-to argument is. asm-generic and x86-64 share the numbers and
// the structures (termios, winsize) of every listed call.
#include <asm/ioctls.h>
#include <asm/termios.h>

#include <cstdio>

#include "polyvm/linux/process.h"
#include "sys_util.h"

namespace polyvm::linux {

namespace {

enum class IoArg : uint8_t { kNone, kInt, kPtr };

struct IoctlDef {
  uint32_t cmd;
  IoArg arg;
  uint32_t size;  // bytes behind the pointer
};

constexpr IoctlDef kIoctls[] = {
    {TCGETS, IoArg::kPtr, sizeof(struct termios)},
    {TCSETS, IoArg::kPtr, sizeof(struct termios)},
    {TCSETSW, IoArg::kPtr, sizeof(struct termios)},
    {TCSETSF, IoArg::kPtr, sizeof(struct termios)},
    {TCGETA, IoArg::kPtr, sizeof(struct termio)},
    {TCSETA, IoArg::kPtr, sizeof(struct termio)},
    {TCSETAW, IoArg::kPtr, sizeof(struct termio)},
    {TCSETAF, IoArg::kPtr, sizeof(struct termio)},
    {TCSBRK, IoArg::kInt, 0},
    {TCXONC, IoArg::kInt, 0},
    {TCFLSH, IoArg::kInt, 0},
    {TIOCEXCL, IoArg::kNone, 0},
    {TIOCNXCL, IoArg::kNone, 0},
    {TIOCSCTTY, IoArg::kInt, 0},
    {TIOCGPGRP, IoArg::kPtr, 4},
    {TIOCSPGRP, IoArg::kPtr, 4},
    {TIOCOUTQ, IoArg::kPtr, 4},
    {TIOCSTI, IoArg::kPtr, 1},
    {TIOCGWINSZ, IoArg::kPtr, sizeof(struct winsize)},
    {TIOCSWINSZ, IoArg::kPtr, sizeof(struct winsize)},
    {TIOCMGET, IoArg::kPtr, 4},
    {TIOCMBIS, IoArg::kPtr, 4},
    {TIOCMBIC, IoArg::kPtr, 4},
    {TIOCMSET, IoArg::kPtr, 4},
    {FIONREAD, IoArg::kPtr, 4},
    {TIOCPKT, IoArg::kPtr, 4},
    {FIONBIO, IoArg::kPtr, 4},
    {TIOCNOTTY, IoArg::kNone, 0},
    {TIOCSETD, IoArg::kPtr, 4},
    {TIOCGETD, IoArg::kPtr, 4},
    {TCSBRKP, IoArg::kInt, 0},
    {TIOCSBRK, IoArg::kNone, 0},
    {TIOCCBRK, IoArg::kNone, 0},
    {TIOCGSID, IoArg::kPtr, 4},
    {FIONCLEX, IoArg::kNone, 0},
    {FIOCLEX, IoArg::kNone, 0},
    {FIOASYNC, IoArg::kPtr, 4},
    {FIOQSIZE, IoArg::kPtr, 8},
};

constexpr uint32_t kIocNrBits = 8, kIocTypeBits = 8, kIocSizeBits = 14;
constexpr uint32_t kIocSizeShift = kIocNrBits + kIocTypeBits;
constexpr uint32_t kIocDirShift = kIocSizeShift + kIocSizeBits;

}  // namespace

int64_t SysIoctl(SyscallContext& ctx, const SyscallArgs& a) {
  const int fd = Fd(a.arg[0]);
  const uint32_t cmd = static_cast<uint32_t>(a.arg[1]);
  IoArg kind;
  uint32_t size = 0;
  const IoctlDef* def = nullptr;
  for (const IoctlDef& d : kIoctls) {
    if (d.cmd == cmd) def = &d;
  }
  if (def != nullptr) {
    kind = def->arg;
    size = def->size;
  } else if ((cmd >> 8 & 0xff) == 'T' && (cmd >> kIocDirShift) == 0) {
    // A legacy terminal ioctl not in the table: its argument's meaning is unknown.
    if (ctx.proc.options().warn_unimplemented || ctx.proc.options().strace) {
      std::fprintf(stderr, "polyvm: unsupported ioctl 0x%x on fd %d\n", cmd, fd);
    }
    return -ENOTTY;
  } else {
    uint32_t dir = cmd >> kIocDirShift;
    size = (cmd >> kIocSizeShift) & ((1u << kIocSizeBits) - 1);
    kind = (dir != 0 && size != 0) ? IoArg::kPtr : IoArg::kInt;
  }
  switch (kind) {
    case IoArg::kNone:
      return HostCall(SYS_ioctl, fd, cmd, 0);
    case IoArg::kInt:
      return HostCall(SYS_ioctl, fd, cmd, L(a.arg[2]));
    case IoArg::kPtr: {
      void* p = ctx.Buf(a.arg[2], size);
      if (!p) return -EFAULT;
      return HostCall(SYS_ioctl, fd, cmd, P(p));
    }
  }
  return -ENOTTY;
}

}  // namespace polyvm::linux
