// Maps a validated ELF's PT_LOAD segments into the guest address space the way Linux's
// load_elf_binary does, and loads the program interpreter (PT_INTERP) from the sysroot.
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "polyvm/linux/elf.h"
#include "polyvm/mem/address_space.h"
#include "polyvm/mem/guest_access.h"

namespace polyvm::linux {

namespace {

bool Fail(std::string* error, std::string msg) {
  if (error) *error = std::move(msg);
  return false;
}

uint32_t SegmentProt(uint32_t pflags) {
  uint32_t prot = mem::kProtNone;
  if (pflags & PF_R) prot |= mem::kProtRead;
  if (pflags & PF_W) prot |= mem::kProtWrite;
  if (pflags & PF_X) prot |= mem::kProtExec;
  return prot;
}

std::string Hex(uint64_t v) {
  char buf[32];
  snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

bool MapElf(mem::AddressSpace& as, int fd, const ElfInfo& info, const std::string& name,
            uint64_t base, LoadedElf* out, std::string* error) {
  struct stat st;
  if (fstat(fd, &st) != 0) return Fail(error, "cannot stat the file");
  const uint64_t span = info.max_vaddr - info.min_vaddr;
  uint64_t bias = 0;
  if (info.type == ET_DYN) {
    // Reserve the whole span first so the segments keep their distances, as Linux does.
    mem::MapRequest r;
    r.addr = base;
    r.length = span;
    r.prot = mem::kProtNone;
    r.flags = mem::kMapPrivate | mem::kMapAnonymous | (base ? uint32_t{mem::kMapFixedNoReplace} : 0u);
    int64_t at = as.Map(r);
    if (at < 0) {
      return Fail(error, "no room for " + Hex(span) + " bytes of program in the guest address space");
    }
    bias = static_cast<uint64_t>(at) - info.min_vaddr;
  } else if (info.min_vaddr < as.min_addr() || !as.Contains(info.min_vaddr, span)) {
    return Fail(error, "segments at " + Hex(info.min_vaddr) + "-" + Hex(info.max_vaddr) +
                           " lie outside the guest address space (" + Hex(as.min_addr()) + "-" +
                           Hex(as.limit()) + ")");
  }

  for (size_t i = 0; i < info.loads.size(); ++i) {
    const ElfSegment& seg = info.loads[i];
    const uint32_t prot = SegmentProt(seg.flags);
    const uint64_t vaddr = seg.vaddr + bias;
    const uint64_t page = mem::PageDown(vaddr);
    const uint64_t file_end = vaddr + seg.filesz;
    const uint64_t mem_end = vaddr + seg.memsz;
    uint64_t anon_start = page;
    if (seg.filesz > 0) {
      // The bss starts inside the last file page: that page must be writable to zero its tail.
      const bool zero_tail = mem_end > file_end && file_end % mem::kPageSize != 0;
      mem::MapRequest m;
      m.addr = page;
      m.length = mem::PageUp(file_end) - page;
      m.prot = prot | (zero_tail ? uint32_t{mem::kProtWrite} : 0u);
      m.flags = mem::kMapPrivate | mem::kMapFixed;
      m.fd = fd;
      m.offset = mem::PageDown(seg.offset);
      m.name = name;
      m.dev = st.st_dev;
      m.inode = st.st_ino;
      if (int64_t r = as.Map(m); r < 0) {
        return Fail(error, "cannot map segment " + std::to_string(i) + ": " + strerror(static_cast<int>(-r)));
      }
      if (zero_tail) {
        uint64_t tail = mem::PageUp(file_end) - file_end;
        if (mem::FillGuest(as, file_end, 0, tail) != 0) return Fail(error, "cannot clear the bss");
        if (!(prot & mem::kProtWrite)) as.Protect(page, m.length, prot);
      }
      anon_start = mem::PageUp(file_end);
    }
    if (mem::PageUp(mem_end) > anon_start) {
      mem::MapRequest m;
      m.addr = anon_start;
      m.length = mem::PageUp(mem_end) - anon_start;
      m.prot = prot;
      m.flags = mem::kMapPrivate | mem::kMapAnonymous | mem::kMapFixed;
      if (int64_t r = as.Map(m); r < 0) {
        return Fail(error, "cannot map the bss of segment " + std::to_string(i) + ": " +
                               strerror(static_cast<int>(-r)));
      }
    }
  }

  LoadedElf l;
  l.bias = bias;
  l.entry = info.entry + bias;
  l.phnum = info.phnum;
  l.phent = info.phentsize;
  if (info.has_phdr_vaddr) {
    l.phdr = info.phdr_vaddr + bias;
  } else {
    const ElfSegment& first = info.loads.front();
    l.phdr = first.vaddr - first.offset + info.phoff + bias;
  }
  l.start = info.min_vaddr + bias;
  l.end = info.loads.back().vaddr + info.loads.back().memsz + bias;
  *out = l;
  return true;
}

bool LoadProgram(mem::AddressSpace& as, const GuestAbi& abi, const std::string& path,
                 const std::string& sysroot, uint64_t dyn_base, ProgramImage* out,
                 std::string* error) {
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Fail(error, path + ": " + strerror(errno));
  ProgramImage img;
  std::string why;
  if (!ReadElfInfo(fd.get(), &abi, &img.info, &why)) return Fail(error, path + ": " + why);
  char resolved[PATH_MAX];
  img.path = realpath(path.c_str(), resolved) ? resolved : path;

  if (!img.info.interp.empty()) {
    img.has_interp = true;
    std::string ipath = img.info.interp;
    if (!sysroot.empty() && ipath[0] == '/' && access((sysroot + ipath).c_str(), F_OK) == 0) {
      ipath = sysroot + ipath;
    }
    img.interp_path = ipath;
    Fd ifd(open(ipath.c_str(), O_RDONLY | O_CLOEXEC));
    if (ifd.get() < 0) {
      return Fail(error, path + ": its interpreter " + img.info.interp + " was not found" +
                             (sysroot.empty() ? " (pass the guest sysroot with -L, e.g. -L /usr/" +
                                                    std::string(abi.Name()) + "-linux-gnu)"
                                              : " in " + sysroot + " or on the host"));
    }
    ElfInfo iinfo;
    if (!ReadElfInfo(ifd.get(), &abi, &iinfo, &why)) {
      return Fail(error, ipath + " (interpreter of " + path + "): " + why);
    }
    if (!iinfo.interp.empty()) return Fail(error, ipath + ": an interpreter must not have PT_INTERP");
    if (!MapElf(as, fd.get(), img.info, img.path,
                img.info.type == ET_DYN ? dyn_base : 0, &img.exe, &why)) {
      return Fail(error, path + ": " + why);
    }
    char iresolved[PATH_MAX];
    std::string iname = realpath(ipath.c_str(), iresolved) ? iresolved : ipath;
    if (!MapElf(as, ifd.get(), iinfo, iname, 0, &img.interp, &why)) {
      return Fail(error, ipath + ": " + why);
    }
    img.entry = img.interp.entry;
  } else {
    if (!MapElf(as, fd.get(), img.info, img.path, 0, &img.exe, &why)) {
      return Fail(error, path + ": " + why);
    }
    img.entry = img.exe.entry;
  }
  *out = std::move(img);
  return true;
}

}  // namespace polyvm::linux
