// The ELF64 loader, arch-neutral: header validation with one-line errors, PT_LOAD mapping with
// bss zeroing, PT_INTERP. The GuestAbi supplies the machine number it accepts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "polyvm/linux/abi.h"

namespace polyvm::mem {
class AddressSpace;
}

namespace polyvm::linux {

struct ElfSegment {
  uint64_t vaddr = 0;
  uint64_t memsz = 0;
  uint64_t offset = 0;
  uint64_t filesz = 0;
  uint32_t flags = 0;  // PF_R | PF_W | PF_X
};

// The parts of an ELF file's headers the loader uses, validated.
struct ElfInfo {
  uint16_t type = 0;  // ET_EXEC or ET_DYN
  uint16_t machine = 0;
  uint32_t flags = 0;
  uint64_t entry = 0;
  uint64_t phoff = 0;
  uint16_t phnum = 0;
  uint16_t phentsize = 0;
  uint64_t phdr_vaddr = 0;  // where the program headers are in memory (PT_PHDR or inside a PT_LOAD)
  bool has_phdr_vaddr = false;
  std::vector<ElfSegment> loads;
  std::string interp;       // PT_INTERP, empty if none
  bool exec_stack = false;  // PT_GNU_STACK with PF_X (or no PT_GNU_STACK, as Linux assumes)
  uint64_t min_vaddr = 0;   // page-aligned span of the PT_LOADs
  uint64_t max_vaddr = 0;
};

// Reads and validates an ELF file's headers. With an abi, the machine must be the abi's; the error
// (one line, no "polyvm:" prefix) then says what the file is and what was expected, e.g.
// "this is an x86-64 ELF, polyvm run needs riscv64 (EM_RISCV)".
bool ReadElfInfo(int fd, const GuestAbi* abi, ElfInfo* out, std::string* error);

// Name of an e_machine value ("x86-64", "AArch64", "riscv64"), or "machine 1234".
std::string ElfMachineName(uint16_t machine);

struct LoadedElf {
  uint64_t bias = 0;   // added to every p_vaddr (0 for ET_EXEC)
  uint64_t entry = 0;  // e_entry + bias
  uint64_t phdr = 0;   // guest address of the program headers (AT_PHDR)
  uint16_t phnum = 0;
  uint16_t phent = 0;
  uint64_t start = 0;  // lowest mapped address
  uint64_t end = 0;    // end of the highest segment's memory (initial brk)
};

// Maps a validated file's PT_LOAD segments. For ET_DYN, `base` is where the lowest segment should go
// (0: anywhere, top-down); ET_EXEC ignores it. `name` and the file's identity go to the mappings.
bool MapElf(mem::AddressSpace& as, int fd, const ElfInfo& info, const std::string& name,
            uint64_t base, LoadedElf* out, std::string* error);

struct ProgramImage {
  std::string path;  // absolute path of the program (/proc/self/exe, AT_EXECFN source)
  ElfInfo info;
  LoadedElf exe;
  bool has_interp = false;
  std::string interp_path;  // as found on the host (inside the sysroot if one was given)
  LoadedElf interp;
  uint64_t entry = 0;  // where the first guest instruction is: the interpreter's or the program's
};

// Loads a program and its interpreter (looked up in `sysroot` first). ET_DYN programs with an
// interpreter go to `dyn_base` (the kernel's ELF_ET_DYN_BASE), others top-down.
bool LoadProgram(mem::AddressSpace& as, const GuestAbi& abi, const std::string& path,
                 const std::string& sysroot, uint64_t dyn_base, ProgramImage* out,
                 std::string* error);

struct ElfSymbol {
  std::string name;
  uint64_t value = 0;
  uint64_t size = 0;
  bool is_function = false;
};

// The symbols of .symtab (or .dynsym if the file is stripped) with a name and a section, sorted by
// value. Returns false with *error set if the file's section headers are malformed.
bool ReadElfSymbols(int fd, std::vector<ElfSymbol>* out, std::string* error);

}  // namespace polyvm::linux
