// ELF symbol tables, for `polyvm disasm prog symbol` and for naming addresses.
#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "polyvm/linux/elf.h"

namespace polyvm::linux {

namespace {

bool ReadAt(int fd, void* buf, uint64_t size, uint64_t offset, uint64_t file_size) {
  if (offset > file_size || size > file_size - offset) return false;
  auto* p = static_cast<uint8_t*>(buf);
  while (size > 0) {
    ssize_t n = pread(fd, p, size, static_cast<off_t>(offset));
    if (n <= 0) return false;
    p += n;
    size -= static_cast<uint64_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return true;
}

}  // namespace

bool ReadElfSymbols(int fd, std::vector<ElfSymbol>* out, std::string* error) {
  out->clear();
  struct stat st;
  if (fstat(fd, &st) != 0) {
    *error = "cannot stat the file";
    return false;
  }
  const uint64_t file_size = static_cast<uint64_t>(st.st_size);
  Elf64_Ehdr eh;
  if (!ReadAt(fd, &eh, sizeof eh, 0, file_size)) {
    *error = "truncated ELF header";
    return false;
  }
  if (eh.e_shnum == 0) return true;  // no section headers: no symbols
  if (eh.e_shentsize != sizeof(Elf64_Shdr)) {
    *error = "bad section header size";
    return false;
  }
  std::vector<Elf64_Shdr> sh(eh.e_shnum);
  if (!ReadAt(fd, sh.data(), sh.size() * sizeof(Elf64_Shdr), eh.e_shoff, file_size)) {
    *error = "section headers lie past the end of the file";
    return false;
  }
  const Elf64_Shdr* symtab = nullptr;
  for (const Elf64_Shdr& s : sh) {
    if (s.sh_type == SHT_SYMTAB) symtab = &s;
  }
  if (symtab == nullptr) {
    for (const Elf64_Shdr& s : sh) {
      if (s.sh_type == SHT_DYNSYM) symtab = &s;
    }
  }
  if (symtab == nullptr) return true;
  if (symtab->sh_link >= sh.size() || symtab->sh_entsize != sizeof(Elf64_Sym)) {
    *error = "malformed symbol table";
    return false;
  }
  const Elf64_Shdr& strtab = sh[symtab->sh_link];
  std::vector<char> strings(strtab.sh_size + 1, '\0');
  std::vector<Elf64_Sym> syms(symtab->sh_size / sizeof(Elf64_Sym));
  if (!ReadAt(fd, strings.data(), strtab.sh_size, strtab.sh_offset, file_size) ||
      !ReadAt(fd, syms.data(), syms.size() * sizeof(Elf64_Sym), symtab->sh_offset, file_size)) {
    *error = "symbol table lies past the end of the file";
    return false;
  }
  for (const Elf64_Sym& s : syms) {
    if (s.st_name == 0 || s.st_name >= strtab.sh_size || s.st_shndx == SHN_UNDEF) continue;
    const int type = ELF64_ST_TYPE(s.st_info);
    if (type == STT_SECTION || type == STT_FILE) continue;
    ElfSymbol e;
    e.name = &strings[s.st_name];
    e.value = s.st_value;
    e.size = s.st_size;
    e.is_function = type == STT_FUNC || type == STT_GNU_IFUNC;
    if (e.name.empty() || e.name[0] == '$') continue;  // RISC-V mapping symbols ($x, $d)
    out->push_back(std::move(e));
  }
  std::sort(out->begin(), out->end(),
            [](const ElfSymbol& a, const ElfSymbol& b) { return a.value < b.value; });
  return true;
}

}  // namespace polyvm::linux
