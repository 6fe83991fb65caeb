// Builds the initial stack exactly as fs/binfmt_elf.c create_elf_tables() and fs/exec.c do (without
// randomisation): strings at the top, then AT_RANDOM's bytes, then the 16-byte aligned table.
#include "polyvm/linux/initial_stack.h"

#include <elf.h>
#include <errno.h>
#include <unistd.h>

#include "polyvm/mem/guest_access.h"

namespace polyvm::linux {

namespace {

// Pushes bytes below `p` and returns the new p; 0 on overflow of the budget.
class Pusher {
 public:
  Pusher(const mem::AddressSpace& as, uint64_t top, uint64_t floor)
      : as_(as), p_(top), floor_(floor) {}
  bool Push(const void* data, uint64_t size) {
    if (p_ - floor_ < size) {
      err_ = -E2BIG;
      return false;
    }
    p_ -= size;
    if (int e = mem::CopyToGuest(as_, p_, data, size); e != 0) {
      err_ = e;
      return false;
    }
    return true;
  }
  bool PushString(const std::string& s) { return Push(s.c_str(), s.size() + 1); }
  void AlignDown(uint64_t a) { p_ &= ~(a - 1); }
  uint64_t p() const { return p_; }
  void set_p(uint64_t p) { p_ = p; }
  uint64_t floor() const { return floor_; }
  int err() const { return err_; }

 private:
  const mem::AddressSpace& as_;
  uint64_t p_;
  uint64_t floor_;
  int err_ = 0;
};

}  // namespace

int BuildInitialStack(const mem::AddressSpace& as, uint64_t stack_top, uint64_t max_bytes,
                      const StackContents& c, StackLayout* out) {
  if (max_bytes > stack_top) max_bytes = stack_top;
  Pusher s(as, stack_top, stack_top - max_bytes);
  // fs/exec.c: the first string starts one pointer below the top of the stack.
  uint64_t zero = 0;
  if (!s.Push(&zero, sizeof zero)) return s.err();
  if (!s.PushString(c.execfn)) return s.err();
  const uint64_t execfn_addr = s.p();
  // copy_strings() walks each array backwards, so element 0 ends up lowest.
  std::vector<uint64_t> env_addrs(c.envp.size()), arg_addrs(c.argv.size());
  for (size_t i = c.envp.size(); i-- > 0;) {
    if (!s.PushString(c.envp[i])) return s.err();
    env_addrs[i] = s.p();
  }
  for (size_t i = c.argv.size(); i-- > 0;) {
    if (!s.PushString(c.argv[i])) return s.err();
    arg_addrs[i] = s.p();
  }
  s.AlignDown(16);  // arch_align_stack() without randomisation
  uint64_t platform_addr = 0;
  if (!c.platform.empty()) {
    if (!s.PushString(c.platform)) return s.err();
    platform_addr = s.p();
  }
  if (!s.Push(c.random, sizeof c.random)) return s.err();
  const uint64_t random_addr = s.p();

  std::vector<AuxEntry> aux = c.auxv;
  for (AuxEntry& e : aux) {
    if (e.type == AT_RANDOM) e.value = random_addr;
    if (e.type == AT_EXECFN) e.value = execfn_addr;
    if (e.type == AT_PLATFORM) e.value = platform_addr;
  }
  aux.push_back({AT_NULL, 0});

  // The table: argc, argv[], NULL, envp[], NULL, auxv pairs; STACK_ROUND aligns its start to 16.
  std::vector<uint64_t> table;
  table.push_back(c.argv.size());
  table.insert(table.end(), arg_addrs.begin(), arg_addrs.end());
  table.push_back(0);
  table.insert(table.end(), env_addrs.begin(), env_addrs.end());
  table.push_back(0);
  for (const AuxEntry& e : aux) {
    table.push_back(e.type);
    table.push_back(e.value);
  }
  const uint64_t bytes = table.size() * sizeof(uint64_t);
  if (s.p() - s.floor() < bytes + 16) return -E2BIG;
  const uint64_t sp = (s.p() - bytes) & ~uint64_t{15};
  if (int e = mem::CopyToGuest(as, sp, table.data(), bytes); e != 0) return e;

  out->sp = sp;
  out->argv = sp + 8;
  out->envp = out->argv + 8 * (c.argv.size() + 1);
  out->auxv = out->envp + 8 * (c.envp.size() + 1);
  out->auxv_entries = std::move(aux);
  return 0;
}

std::vector<AuxEntry> MakeAuxv(const GuestAbi& abi, const ProgramImage& image) {
  std::vector<AuxEntry> v;
  if (abi.AuxMinSigStackSize() != 0) v.push_back({AT_MINSIGSTKSZ, abi.AuxMinSigStackSize()});
  v.push_back({AT_HWCAP, abi.HwCap()});
  v.push_back({AT_PAGESZ, 4096});
  v.push_back({AT_CLKTCK, static_cast<uint64_t>(sysconf(_SC_CLK_TCK))});
  v.push_back({AT_PHDR, image.exe.phdr});
  v.push_back({AT_PHENT, image.exe.phent});
  v.push_back({AT_PHNUM, image.exe.phnum});
  v.push_back({AT_BASE, image.has_interp ? image.interp.bias : 0});
  v.push_back({AT_FLAGS, 0});
  v.push_back({AT_ENTRY, image.exe.entry});
  v.push_back({AT_UID, getuid()});
  v.push_back({AT_EUID, geteuid()});
  v.push_back({AT_GID, getgid()});
  v.push_back({AT_EGID, getegid()});
  v.push_back({AT_SECURE, 0});
  v.push_back({AT_RANDOM, 0});
  if (abi.HwCap2() != 0) v.push_back({AT_HWCAP2, abi.HwCap2()});
  v.push_back({AT_EXECFN, 0});
  if (abi.Platform() != nullptr) v.push_back({AT_PLATFORM, 0});
  return v;
}

}  // namespace polyvm::linux
