// execve (a guest ELF re-executes polyvm with the same options; a #! script whose interpreter is a
// guest ELF likewise; anything else is a host program and runs natively, as qemu-user with binfmt
// does), and waiting for children (status words carry host signal numbers, translated back).
#include <elf.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstring>
#include <vector>

#include "paths.h"
#include "polyvm/linux/process.h"
#include "sys_util.h"

namespace polyvm::linux {

namespace {

constexpr size_t kMaxArgStrlen = 32 * 4096;  // MAX_ARG_STRLEN
constexpr size_t kMaxArgTotal = 8u << 20;

// A NULL-terminated guest array of strings.
int64_t ReadStringArray(SyscallContext& ctx, uint64_t addr, std::vector<std::string>* out) {
  out->clear();
  if (addr == 0) return 0;
  size_t total = 0;
  for (uint64_t i = 0;; ++i) {
    uint64_t p;
    if (mem::ReadGuest(ctx.as, addr + 8 * i, p) != 0) return -EFAULT;
    if (p == 0) return 0;
    std::string s;
    int r = mem::ReadGuestString(ctx.as, p, s, kMaxArgStrlen - 1);
    if (r == -ENAMETOOLONG) return -E2BIG;
    if (r != 0) return r;
    total += s.size() + 1 + 8;
    if (total > kMaxArgTotal) return -E2BIG;
    out->push_back(std::move(s));
  }
}

std::vector<char*> CStrings(std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (std::string& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Whether the file at host path is an ELF of the guest's machine.
bool IsGuestElf(const Process& p, const std::string& host_path) {
  int fd = open(host_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  Elf64_Ehdr eh;
  bool ok = pread(fd, &eh, sizeof eh, 0) == static_cast<ssize_t>(sizeof eh) &&
            std::memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 && eh.e_ident[EI_CLASS] == ELFCLASS64 &&
            eh.e_machine == p.abi().ElfMachine();
  close(fd);
  return ok;
}

int64_t ExecPolyvm(Process& p, const std::string& argv0, const std::string& program,
                   const std::vector<std::string>& rest, std::vector<std::string>& envp) {
  std::vector<std::string> args = {p.polyvm_exe(), "run"};
  args.insert(args.end(), p.options().reexec_options.begin(), p.options().reexec_options.end());
  args.push_back("-0");
  args.push_back(argv0);
  args.push_back("--");
  args.push_back(program);
  args.insert(args.end(), rest.begin(), rest.end());
  std::vector<char*> av = CStrings(args), ev = CStrings(envp);
  std::fflush(nullptr);
  execve(p.polyvm_exe().c_str(), av.data(), ev.data());
  return -errno;
}

}  // namespace

int64_t SysExecve(SyscallContext& ctx, const SyscallArgs& a) {
  Process& p = ctx.proc;
  std::string path;
  if (int r = ctx.ReadPath(a.arg[0], path); r != 0) return r;
  std::vector<std::string> argv, envp;
  if (int64_t r = ReadStringArray(ctx, a.arg[1], &argv); r != 0) return r;
  if (int64_t r = ReadStringArray(ctx, a.arg[2], &envp); r != 0) return r;

  std::string host = path;
  std::string self;
  if (ReadlinkSpecial(p, path, &self)) host = self;
  host = MapGuestPath(p, host);
  if (access(host.c_str(), F_OK) != 0) return -errno;
  if (access(host.c_str(), X_OK) != 0) return -errno;
  struct stat st;
  if (stat(host.c_str(), &st) != 0) return -errno;
  if (!S_ISREG(st.st_mode)) return -EACCES;

  const std::vector<std::string> rest(argv.size() > 1 ? argv.begin() + 1 : argv.end(), argv.end());
  if (IsGuestElf(p, host)) {
    return ExecPolyvm(p, argv.empty() ? std::string() : argv[0], host, rest, envp);
  }

  // A script: "#!interp [one argument]". If the interpreter is a guest program, polyvm runs it with
  // the kernel's argv: interp, [argument], script path, argv[1..].
  char head[256] = {};
  int fd = open(host.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -errno;
  ssize_t n = read(fd, head, sizeof head - 1);
  close(fd);
  if (n > 2 && head[0] == '#' && head[1] == '!') {
    std::string line(head + 2, static_cast<size_t>(n - 2));
    line = line.substr(0, line.find('\n'));
    size_t b = line.find_first_not_of(" \t");
    if (b != std::string::npos) {
      line = line.substr(b);
      size_t e = line.find_first_of(" \t");
      std::string interp = line.substr(0, e);
      std::string optarg;
      if (e != std::string::npos) {
        size_t ab = line.find_first_not_of(" \t", e);
        if (ab != std::string::npos) {
          optarg = line.substr(ab);
          optarg.erase(optarg.find_last_not_of(" \t\r") + 1);
        }
      }
      std::string interp_host = MapGuestPath(p, interp);
      if (IsGuestElf(p, interp_host)) {
        std::vector<std::string> script_args;
        if (!optarg.empty()) script_args.push_back(optarg);
        script_args.push_back(path);
        script_args.insert(script_args.end(), rest.begin(), rest.end());
        return ExecPolyvm(p, interp, interp_host, script_args, envp);
      }
    }
  }
  // A host program (or a script with a host interpreter): the host kernel runs it natively.
  std::vector<char*> av = CStrings(argv), ev = CStrings(envp);
  std::fflush(nullptr);
  execve(host.c_str(), av.data(), ev.data());
  return -errno;
}

int64_t SysWait4(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* ru = OptBuf(ctx, a.arg[3], sizeof(struct rusage), &bad);
  if (bad || (a.arg[1] != 0 && !ctx.Buf(a.arg[1], 4))) return -EFAULT;
  int status = 0;
  int64_t r = SafeSyscall(ctx.thread, SYS_wait4, Fd(a.arg[0]), P(&status), L(a.arg[2]), P(ru));
  if (r > 0 && a.arg[1] != 0) {
    // Only the signal numbers in the status word differ between host and guest.
    if (WIFSIGNALED(status)) {
      status = (status & ~0x7f) | HostToGuestSignal(WTERMSIG(status));
    } else if (WIFSTOPPED(status)) {
      status = (status & ~0xff00) | (HostToGuestSignal(WSTOPSIG(status)) << 8);
    }
    if (mem::WriteGuest(ctx.as, a.arg[1], static_cast<int32_t>(status)) != 0) return -EFAULT;
  }
  return r;
}

int64_t SysWaitid(SyscallContext& ctx, const SyscallArgs& a) {
  bool bad = false;
  void* ru = OptBuf(ctx, a.arg[4], sizeof(struct rusage), &bad);
  if (bad) return -EFAULT;
  siginfo_t info;
  std::memset(&info, 0, sizeof info);
  int64_t r = SafeSyscall(ctx.thread, SYS_waitid, L(a.arg[0]), L(a.arg[1]),
                          a.arg[2] ? P(&info) : 0, L(a.arg[3]), P(ru));
  if (r >= 0 && a.arg[2] != 0) {
    GuestSigInfo g = info.si_signo ? SigInfoFromHost(info) : GuestSigInfo{};
    if (mem::WriteGuest(ctx.as, a.arg[2], g) != 0) return -EFAULT;
  }
  return r;
}

int64_t SysPidfdOpen(SyscallContext&, const SyscallArgs& a) {
  return HostCall(SYS_pidfd_open, Fd(a.arg[0]), L(a.arg[1]));
}

}  // namespace polyvm::linux
