// libFuzzer harness: ELF64 header validation (ReadElfInfo) over any file contents. Besides memory
// safety it checks what the loader relies on for an accepted file: each PT_LOAD's file bytes lie
// inside the file, file size <= memory size, segments ascend without overlap and without
// wrapping, and the page span covers them.
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "polyvm/linux/elf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace polyvm::linux;
  // One in-memory file for the whole run, rewritten for each input.
  static const int fd = memfd_create("elf_info_fuzz", MFD_CLOEXEC);
  if (fd < 0 || ftruncate(fd, 0) != 0) __builtin_trap();
  if (size != 0 && pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) __builtin_trap();
  ElfInfo info;
  std::string error;
  if (!ReadElfInfo(fd, nullptr, &info, &error)) {
    if (error.empty()) __builtin_trap();
    return 0;
  }
  if (info.loads.empty()) __builtin_trap();
  uint64_t prev_end = 0;
  for (const ElfSegment& s : info.loads) {
    if (s.filesz > s.memsz || s.offset > size || s.filesz > size - s.offset) __builtin_trap();
    if (s.vaddr + s.memsz < s.vaddr || s.vaddr < prev_end) __builtin_trap();
    prev_end = s.vaddr + s.memsz;
  }
  if (info.min_vaddr > info.loads.front().vaddr || info.max_vaddr < prev_end) __builtin_trap();
  if (!info.interp.empty() && info.interp.find('\0') != std::string::npos) __builtin_trap();
  return 0;
}
