// Sysroot redirection and the synthesised /proc files (the guest's maps, auxv, cmdline, exe and
// cpuinfo; every other /proc file is the host's).
#include "paths.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdio>

#include "polyvm/linux/process.h"

namespace polyvm::linux {

namespace {

// "/proc/self/<leaf>", "/proc/thread-self/<leaf>" or "/proc/<our pid>/<leaf>" -> leaf, else "".
std::string SelfProcLeaf(const std::string& path) {
  static const std::string kProc = "/proc/";
  if (path.compare(0, kProc.size(), kProc) != 0) return "";
  std::string rest = path.substr(kProc.size());
  size_t slash = rest.find('/');
  if (slash == std::string::npos) return "";
  std::string who = rest.substr(0, slash);
  if (who != "self" && who != "thread-self" && who != std::to_string(getpid())) return "";
  return rest.substr(slash + 1);
}

int MemFileWith(const std::string& text, int flags) {
  int fd = memfd_create("polyvm-proc", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
  if (fd < 0) return -errno;
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = write(fd, text.data() + off, text.size() - off);
    if (n <= 0) {
      int err = errno;
      close(fd);
      return -err;
    }
    off += static_cast<size_t>(n);
  }
  lseek(fd, 0, SEEK_SET);
  return fd;
}

}  // namespace

std::string MapGuestPath(const Process& proc, const std::string& path) {
  const std::string& root = proc.options().sysroot;
  if (root.empty() || path.empty() || path[0] != '/') return path;
  std::string candidate = root + path;
  struct stat st;
  if (lstat(candidate.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) return candidate;
  return path;
}

std::string GuestMapsText(const Process& proc) {
  std::string out;
  for (const mem::Mapping& m : proc.as().Mappings()) {
    char line[256];
    int n = snprintf(line, sizeof line, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %llu ",
                     static_cast<unsigned long long>(m.start), static_cast<unsigned long long>(m.end),
                     (m.prot & mem::kProtRead) ? 'r' : '-', (m.prot & mem::kProtWrite) ? 'w' : '-',
                     (m.prot & mem::kProtExec) ? 'x' : '-', (m.flags & mem::kMapShared) ? 's' : 'p',
                     static_cast<unsigned long long>(m.offset), major(m.dev), minor(m.dev),
                     static_cast<unsigned long long>(m.inode));
    out.append(line, static_cast<size_t>(n));
    if (!m.name.empty()) {
      // Linux pads the name to column 73 (seq_pad).
      if (n < 73) out.append(static_cast<size_t>(73 - n), ' ');
      out += m.name;
    }
    out += '\n';
  }
  return out;
}

int OpenSpecialPath(Process& proc, const std::string& path, int flags) {
  if (path == "/proc/cpuinfo") return MemFileWith(std::string(proc.abi().CpuInfo()), flags);
  std::string leaf = SelfProcLeaf(path);
  if (leaf.empty()) return kNotSpecial;
  if (leaf == "maps") return MemFileWith(GuestMapsText(proc), flags);
  if (leaf == "auxv") {
    std::string bytes;
    for (const AuxEntry& e : proc.auxv()) {
      bytes.append(reinterpret_cast<const char*>(&e.type), 8);
      bytes.append(reinterpret_cast<const char*>(&e.value), 8);
    }
    return MemFileWith(bytes, flags);
  }
  if (leaf == "cmdline") {
    std::string text;
    for (const std::string& a : proc.argv()) {
      text += a;
      text += '\0';
    }
    return MemFileWith(text, flags);
  }
  if (leaf == "exe") {
    int fd = open(proc.image().path.c_str(), flags & (O_CLOEXEC | O_PATH | O_NOFOLLOW | O_NONBLOCK));
    return fd < 0 ? -errno : fd;
  }
  return kNotSpecial;
}

bool ReadlinkSpecial(const Process& proc, const std::string& path, std::string* target) {
  if (SelfProcLeaf(path) != "exe") return false;
  *target = proc.image().path;
  return true;
}

}  // namespace polyvm::linux
