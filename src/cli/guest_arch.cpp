// The guest architecture of a program, from its ELF header's e_machine: which Linux ABI and which
// frontend `polyvm run` and `polyvm disasm` use. One row per guest polyvm can run.
#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "cli_internal.h"
#include "polyvm/frontend/riscv64/lifter.h"
#if POLYVM_HAVE_ARM64_FRONTEND
#include "polyvm/frontend/arm64/lifter.h"
#endif

namespace polyvm::cli {

namespace {

struct ArchRow {
  uint16_t machine;
  const char* name;
  const linux::GuestAbi& (*abi)();
  std::unique_ptr<ir::Lifter> (*make_lifter)();  // null: this build has no such frontend
};

template <typename L>
std::unique_ptr<ir::Lifter> Make() {
  return std::make_unique<L>();
}

constexpr ArchRow kArches[] = {
    {EM_RISCV, "riscv64", &linux::Riscv64Abi, &Make<frontend::riscv64::Riscv64Lifter>},
#if POLYVM_HAVE_ARM64_FRONTEND
    {EM_AARCH64, "aarch64", &linux::Arm64Abi, &Make<frontend::arm64::Arm64Lifter>},
#else
    {EM_AARCH64, "aarch64", &linux::Arm64Abi, nullptr},
#endif
};

// e_machine of a little-endian ELF64 file; 0 if the file is not one (or unreadable).
uint16_t ElfMachineOf(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  Elf64_Ehdr eh;
  ssize_t n = pread(fd, &eh, sizeof eh, 0);
  close(fd);
  if (n != static_cast<ssize_t>(sizeof eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
    return 0;
  }
  return eh.e_machine;
}

}  // namespace

bool ChooseGuestArch(const std::string& path, GuestArch* out, std::string* error) {
  const uint16_t machine = ElfMachineOf(path);
  // Anything that is not a known guest (not an ELF, another machine, a missing file) goes to the
  // first row, whose loader then explains precisely what is wrong with the file.
  const ArchRow* row = &kArches[0];
  for (const ArchRow& r : kArches) {
    if (r.machine == machine) row = &r;
  }
  if (row->make_lifter == nullptr) {
    *error = path + ": an " + row->name + " program, but this polyvm was built without the " +
             row->name + " frontend";
    return false;
  }
  out->abi = &row->abi();
  out->lifter = row->make_lifter();
  return true;
}

}  // namespace polyvm::cli
