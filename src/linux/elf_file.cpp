// ELF64 header validation: every way a file can be malformed becomes a one-line error instead of a
// crash or a half-loaded guest.
#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "polyvm/linux/elf.h"
#include "polyvm/mem/mapping.h"

namespace polyvm::linux {

namespace {

struct MachineName {
  uint16_t machine;
  const char* name;
};

constexpr MachineName kMachines[] = {
    {EM_386, "i386"},       {EM_X86_64, "x86-64"},   {EM_ARM, "32-bit ARM"},
    {EM_AARCH64, "AArch64"}, {EM_RISCV, "riscv64"},   {EM_PPC64, "PowerPC64"},
    {EM_S390, "s390x"},     {EM_MIPS, "MIPS"},       {EM_SPARCV9, "SPARC64"},
    {EM_LOONGARCH, "LoongArch"},
};

bool ReadAll(int fd, void* buf, size_t size, uint64_t offset) {
  auto* p = static_cast<uint8_t*>(buf);
  while (size > 0) {
    ssize_t n = pread(fd, p, size, static_cast<off_t>(offset));
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return true;
}

// "an x86-64", "a riscv64": the article English wants before a machine name.
std::string WithArticle(const std::string& name) {
  bool vowel = !name.empty() && std::strchr("aeiouAEIOUx", name[0]) != nullptr;
  return (vowel ? "an " : "a ") + name;
}

bool Fail(std::string* error, std::string msg) {
  if (error) *error = std::move(msg);
  return false;
}

}  // namespace

std::string ElfMachineName(uint16_t machine) {
  for (const auto& m : kMachines) {
    if (m.machine == machine) return m.name;
  }
  return "machine " + std::to_string(machine);
}

bool ReadElfInfo(int fd, const GuestAbi* abi, ElfInfo* out, std::string* error) {
  struct stat st;
  if (fstat(fd, &st) != 0) return Fail(error, "cannot stat the file");
  if (!S_ISREG(st.st_mode)) return Fail(error, "not a regular file");
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);
  const std::string wanted =
      abi ? std::string(", polyvm run needs ") + std::string(abi->ElfMachineName()) : "";

  unsigned char ident[EI_NIDENT] = {};
  if (file_size < EI_NIDENT || !ReadAll(fd, ident, EI_NIDENT, 0)) {
    return Fail(error, "not an ELF file (too short)");
  }
  if (memcmp(ident, ELFMAG, SELFMAG) != 0) {
    if (ident[0] == '#' && ident[1] == '!') return Fail(error, "a script, not an ELF file");
    return Fail(error, "not an ELF file (bad magic)");
  }
  Elf64_Ehdr eh;
  if (ident[EI_CLASS] == ELFCLASS32) {
    Elf32_Ehdr eh32;
    std::string what = "a 32-bit ELF";
    if (file_size >= sizeof eh32 && ReadAll(fd, &eh32, sizeof eh32, 0) &&
        ident[EI_DATA] == ELFDATA2LSB) {
      what = eh32.e_machine == EM_RISCV ? "a riscv32 ELF"
                                        : "a 32-bit " + ElfMachineName(eh32.e_machine) + " ELF";
    }
    return Fail(error, "this is " + what + " (ELFCLASS32)" + wanted);
  }
  if (ident[EI_CLASS] != ELFCLASS64) return Fail(error, "bad ELF class byte");
  if (ident[EI_DATA] != ELFDATA2LSB) {
    return Fail(error, "this is a big-endian ELF (ELFDATA2MSB)" + wanted);
  }
  if (ident[EI_VERSION] != EV_CURRENT) return Fail(error, "unknown ELF version");
  if (file_size < sizeof eh || !ReadAll(fd, &eh, sizeof eh, 0)) {
    return Fail(error, "truncated ELF header");
  }
  if (abi && eh.e_machine != abi->ElfMachine()) {
    return Fail(error, "this is " + WithArticle(ElfMachineName(eh.e_machine)) + " ELF" + wanted);
  }
  if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) {
    const char* kind = eh.e_type == ET_REL    ? "a relocatable object (ET_REL)"
                       : eh.e_type == ET_CORE ? "a core dump (ET_CORE)"
                                              : "an ELF file of unknown type";
    return Fail(error, std::string("not an executable: ") + kind);
  }
  if (abi) {
    if (const char* why = abi->RejectElfFlags(eh.e_flags)) return Fail(error, why);
  }
  if (eh.e_phentsize != sizeof(Elf64_Phdr)) return Fail(error, "bad program header size");
  if (eh.e_phnum == 0) return Fail(error, "no program headers");
  if (uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr) > 65536) {
    return Fail(error, "too many program headers");
  }
  const uint64_t ph_bytes = uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr);
  if (eh.e_phoff > file_size || ph_bytes > file_size - eh.e_phoff) {
    return Fail(error, "program headers lie past the end of the file (truncated?)");
  }
  std::vector<Elf64_Phdr> ph(eh.e_phnum);
  if (!ReadAll(fd, ph.data(), ph_bytes, eh.e_phoff)) return Fail(error, "cannot read program headers");

  ElfInfo info;
  info.type = eh.e_type;
  info.machine = eh.e_machine;
  info.flags = eh.e_flags;
  info.entry = eh.e_entry;
  info.phoff = eh.e_phoff;
  info.phnum = eh.e_phnum;
  info.phentsize = eh.e_phentsize;
  info.exec_stack = true;  // Linux's default without PT_GNU_STACK
  bool have_interp = false;
  for (size_t i = 0; i < ph.size(); ++i) {
    const Elf64_Phdr& p = ph[i];
    const std::string which = "segment " + std::to_string(i);
    switch (p.p_type) {
      case PT_LOAD: {
        if (p.p_memsz == 0) break;
        if (p.p_filesz > p.p_memsz) return Fail(error, which + ": file size exceeds memory size");
        if (p.p_offset > file_size || p.p_filesz > file_size - p.p_offset) {
          return Fail(error, which + ": data lies past the end of the file (truncated?)");
        }
        if ((p.p_vaddr - p.p_offset) % mem::kPageSize != 0) {
          return Fail(error, which + ": address and file offset disagree modulo the page size");
        }
        if (p.p_vaddr + p.p_memsz < p.p_vaddr || p.p_vaddr + p.p_memsz > (uint64_t{1} << 56)) {
          return Fail(error, which + ": absurd address range");
        }
        if (!info.loads.empty()) {
          const ElfSegment& prev = info.loads.back();
          if (p.p_vaddr < prev.vaddr + prev.memsz) {
            return Fail(error, which + ": overlaps or precedes the previous PT_LOAD segment");
          }
        }
        info.loads.push_back({p.p_vaddr, p.p_memsz, p.p_offset, p.p_filesz, p.p_flags});
        break;
      }
      case PT_INTERP: {
        if (have_interp) return Fail(error, "more than one PT_INTERP");
        have_interp = true;
        if (p.p_filesz < 2 || p.p_filesz > 4096 || p.p_offset > file_size ||
            p.p_filesz > file_size - p.p_offset) {
          return Fail(error, "bad PT_INTERP segment");
        }
        std::string s(p.p_filesz, '\0');
        if (!ReadAll(fd, s.data(), s.size(), p.p_offset) || s.back() != '\0') {
          return Fail(error, "PT_INTERP is not a NUL-terminated path");
        }
        s.pop_back();
        if (s.empty() || s.find('\0') != std::string::npos) return Fail(error, "bad PT_INTERP path");
        info.interp = std::move(s);
        break;
      }
      case PT_PHDR:
        info.phdr_vaddr = p.p_vaddr;
        info.has_phdr_vaddr = true;
        break;
      case PT_GNU_STACK:
        info.exec_stack = (p.p_flags & PF_X) != 0;
        break;
      default:
        break;
    }
  }
  if (info.loads.empty()) return Fail(error, "no loadable segments");
  info.min_vaddr = mem::PageDown(info.loads.front().vaddr);
  info.max_vaddr = mem::PageUp(info.loads.back().vaddr + info.loads.back().memsz);
  if (!info.has_phdr_vaddr) {
    // Without PT_PHDR the headers are found in whichever PT_LOAD maps their file offset.
    for (const ElfSegment& s : info.loads) {
      if (info.phoff >= s.offset && info.phoff + ph_bytes <= s.offset + s.filesz) {
        info.phdr_vaddr = s.vaddr + (info.phoff - s.offset);
        info.has_phdr_vaddr = true;
        break;
      }
    }
  }
  *out = std::move(info);
  return true;
}

}  // namespace polyvm::linux
