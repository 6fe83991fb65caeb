// --perfmap (see perf_map.h). The JIT calls Add under its translation lock, so lines never
// interleave; the file is line-buffered so it is complete even if the guest kills polyvm. When the
// code cache is flushed, host addresses are reused: perf then sees two names for one range and
// takes the later line.
#include "perf_map.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace polyvm::cli {

bool PerfMap::Open(std::string* error) {
  std::string path = fmt::format("/tmp/perf-{}.map", getpid());
  file_ = std::fopen(path.c_str(), "we");
  if (file_ == nullptr) {
    *error = fmt::format("--perfmap: cannot create {}", path);
    return false;
  }
  std::setvbuf(file_, nullptr, _IOLBF, 0);
  return true;
}

PerfMap::~PerfMap() {
  if (file_ != nullptr) std::fclose(file_);
}

void PerfMap::AddFile(const std::string& path, uint64_t bias) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  std::vector<linux::ElfSymbol> syms;
  std::string error;
  if (linux::ReadElfSymbols(fd, &syms, &error)) {
    for (const linux::ElfSymbol& s : syms) {
      if (s.is_function && s.value != 0) syms_.push_back({s.value + bias, s.size, s.name});
    }
  }
  close(fd);
}

void PerfMap::LoadSymbols() {
  loaded_ = true;
  if (image_ == nullptr) return;
  AddFile(image_->path, image_->exe.bias);
  if (image_->has_interp) AddFile(image_->interp_path, image_->interp.bias);
  std::sort(syms_.begin(), syms_.end(),
            [](const Sym& a, const Sym& b) { return a.start < b.start; });
}

std::string PerfMap::Name(uint64_t pc) {
  if (!loaded_) LoadSymbols();
  auto it = std::upper_bound(syms_.begin(), syms_.end(), pc,
                             [](uint64_t v, const Sym& s) { return v < s.start; });
  // The nearest symbol at or below pc that contains it (a zero size: up to the next symbol).
  while (it != syms_.begin()) {
    --it;
    bool inside = it->size != 0 ? pc < it->start + it->size
                                : std::next(it) == syms_.end() || pc < std::next(it)->start;
    if (inside) {
      return pc == it->start ? it->name : fmt::format("{}+{:#x}", it->name, pc - it->start);
    }
    if (it->size != 0) break;
  }
  return fmt::format("{:#x}", pc);
}

void PerfMap::Add(const engine::jit::Options::Translation& t) {
  if (file_ == nullptr) return;
  if (t.shared != nullptr) {  // the JIT's own code, shared by all blocks
    std::fputs(fmt::format("{:x} {:x} polyvm-jit:{}\n", reinterpret_cast<uintptr_t>(t.host),
                           t.host_size, t.shared)
                   .c_str(),
               file_);
    return;
  }
  std::string line =
      fmt::format("{:x} {:x} {} [guest {:#x}]\n", reinterpret_cast<uintptr_t>(t.host), t.host_size,
                  Name(t.guest_pc), t.guest_pc);
  std::fputs(line.c_str(), file_);
}

}  // namespace polyvm::cli
