// The ELF loader on programs built by the riscv64 cross compiler (expected headers and segments from
// riscv64-linux-gnu-readelf's output, generated at build time) and on malformed files made here.
#include <elf.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "polyvm/linux/abi.h"
#include "polyvm/linux/elf.h"
#include "polyvm/mem/address_space.h"
#include "polyvm/mem/guest_access.h"
#include "test_paths.h"

namespace polyvm::linux {
namespace {

// What readelf -hlW says about a file.
struct ReadelfView {
  uint64_t entry = 0;
  std::string type;  // "EXEC" or "DYN"
  unsigned phnum = 0;
  struct Load {
    uint64_t offset, vaddr, filesz, memsz;
    std::string flags;  // e.g. "R E", "RW "
  };
  std::vector<Load> loads;
  std::string interp;
};

ReadelfView ParseReadelf(const std::string& path) {
  ReadelfView v;
  std::ifstream in(path);
  EXPECT_TRUE(in) << "missing " << path;
  std::string line;
  while (std::getline(in, line)) {
    unsigned long long x;
    char buf[64];
    if (sscanf(line.c_str(), "  Entry point address: 0x%llx", &x) == 1) v.entry = x;
    if (sscanf(line.c_str(), "  Type: %63s", buf) == 1 && v.type.empty()) v.type = buf;
    if (sscanf(line.c_str(), "  Number of program headers: %llu", &x) == 1) v.phnum = static_cast<unsigned>(x);
    ReadelfView::Load l;
    unsigned long long off, va, pa, fs, ms;
    if (sscanf(line.c_str(), "  LOAD 0x%llx 0x%llx 0x%llx 0x%llx 0x%llx", &off, &va, &pa, &fs, &ms) == 5) {
      l = {off, va, fs, ms, line.substr(line.rfind(" 0x") - 3, 3)};
      v.loads.push_back(l);
    }
    auto p = line.find("[Requesting program interpreter: ");
    if (p != std::string::npos) {
      v.interp = line.substr(p + 33);
      v.interp.pop_back();  // ']'
    }
  }
  return v;
}

uint32_t ExpectedProt(const std::string& flags) {
  uint32_t p = 0;
  if (flags.find('R') != std::string::npos) p |= mem::kProtRead;
  if (flags.find('W') != std::string::npos) p |= mem::kProtWrite;
  if (flags.find('E') != std::string::npos) p |= mem::kProtExec;
  return p;
}

std::unique_ptr<mem::AddressSpace> NewSpace() {
  std::string err;
  auto as = mem::AddressSpace::Create(mem::Layout{}, &err);
  EXPECT_TRUE(as) << err;
  as->SetMmapBase(as->limit() - (uint64_t{128} << 20));
  return as;
}

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::string WriteTemp(const std::vector<uint8_t>& bytes) {
  char name[] = "/tmp/polyvm-elf-XXXXXX";
  int fd = mkstemp(name);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  close(fd);
  return name;
}

std::string InfoError(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY);
  EXPECT_GE(fd, 0);
  ElfInfo info;
  std::string err;
  bool ok = ReadElfInfo(fd, &Riscv64Abi(), &info, &err);
  close(fd);
  return ok ? "" : err;
}

TEST(ElfLoader, StaticProgramMatchesReadelf) {
  const ReadelfView want = ParseReadelf(kHelloStaticReadelf);
  ASSERT_EQ(want.type, "EXEC");
  auto as = NewSpace();
  ProgramImage img;
  std::string err;
  ASSERT_TRUE(LoadProgram(*as, Riscv64Abi(), kHelloStatic, "", 0, &img, &err)) << err;
  EXPECT_FALSE(img.has_interp);
  EXPECT_EQ(img.exe.bias, 0u);
  EXPECT_EQ(img.entry, want.entry);
  EXPECT_EQ(img.exe.phnum, want.phnum);
  EXPECT_EQ(img.exe.phent, sizeof(Elf64_Phdr));
  const std::vector<uint8_t> file = ReadFile(kHelloStatic);
  ASSERT_FALSE(want.loads.empty());
  for (const auto& l : want.loads) {
    auto m = as->Find(l.vaddr);
    ASSERT_TRUE(m) << std::hex << l.vaddr;
    EXPECT_EQ(m->prot, ExpectedProt(l.flags)) << std::hex << l.vaddr;
    // File bytes are there, and the bss (including the tail of the last file page) is zero.
    std::vector<uint8_t> got(l.filesz);
    ASSERT_EQ(mem::CopyFromGuest(*as, got.data(), l.vaddr, got.size()), 0);
    EXPECT_EQ(0, memcmp(got.data(), file.data() + l.offset, l.filesz));
    if (l.memsz == l.filesz) continue;  // no bss: the last page's tail holds file bytes
    const uint64_t bss_end = mem::PageUp(l.vaddr + l.memsz);
    std::vector<uint8_t> bss(bss_end - (l.vaddr + l.filesz));
    ASSERT_EQ(mem::CopyFromGuest(*as, bss.data(), l.vaddr + l.filesz, bss.size()), 0);
    EXPECT_TRUE(std::all_of(bss.begin(), bss.end(), [](uint8_t b) { return b == 0; }))
        << "bss of segment at 0x" << std::hex << l.vaddr << " not zero";
  }
  // AT_PHDR will point at the program headers: the file's bytes at e_phoff.
  Elf64_Ehdr eh;
  memcpy(&eh, file.data(), sizeof eh);
  std::vector<uint8_t> phdrs(want.phnum * sizeof(Elf64_Phdr));
  ASSERT_EQ(mem::CopyFromGuest(*as, phdrs.data(), img.exe.phdr, phdrs.size()), 0);
  EXPECT_EQ(0, memcmp(phdrs.data(), file.data() + eh.e_phoff, phdrs.size()));
  EXPECT_EQ(img.exe.end, want.loads.back().vaddr + want.loads.back().memsz);
}

TEST(ElfLoader, DynamicProgramLoadsItsInterpreterFromTheSysroot) {
  const ReadelfView want = ParseReadelf(kHelloDynReadelf);
  ASSERT_EQ(want.type, "DYN");
  ASSERT_FALSE(want.interp.empty());
  auto as = NewSpace();
  ProgramImage img;
  std::string err;
  const uint64_t dyn_base = 0x2aaaaaa000;
  ASSERT_TRUE(LoadProgram(*as, Riscv64Abi(), kHelloDyn, kSysroot, dyn_base, &img, &err)) << err;
  ASSERT_TRUE(img.has_interp);
  EXPECT_EQ(img.info.interp, want.interp);
  EXPECT_EQ(img.interp_path, std::string(kSysroot) + want.interp);
  // ET_DYN with an interpreter goes to ELF_ET_DYN_BASE; the interpreter top-down below mmap_base.
  EXPECT_EQ(img.exe.bias, dyn_base - want.loads.front().vaddr);
  EXPECT_EQ(img.exe.entry, want.entry + img.exe.bias);
  EXPECT_LT(img.interp.start, as->mmap_base());
  EXPECT_GT(img.interp.start, dyn_base);
  EXPECT_EQ(img.entry, img.interp.entry);
  auto m = as->Find(img.interp.entry);
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->prot & mem::kProtExec);
  EXPECT_NE(m->name.find("ld-linux-riscv64"), std::string::npos);
}

TEST(ElfLoader, DynamicProgramWithoutSysrootSaysWhatIsMissing) {
  auto as = NewSpace();
  ProgramImage img;
  std::string err;
  // Without -L the host has no /lib/ld-linux-riscv64-lp64d.so.1.
  ASSERT_FALSE(LoadProgram(*as, Riscv64Abi(), kHelloDyn, "", 0x2aaaaaa000, &img, &err));
  EXPECT_NE(err.find("interpreter"), std::string::npos) << err;
  EXPECT_NE(err.find("-L"), std::string::npos) << err;
}

TEST(ElfLoader, StaticPieLoadsTopDown) {
  const ReadelfView want = ParseReadelf(kPieStartReadelf);
  ASSERT_EQ(want.type, "DYN");
  auto as = NewSpace();
  ProgramImage img;
  std::string err;
  ASSERT_TRUE(LoadProgram(*as, Riscv64Abi(), kPieStart, "", 0x2aaaaaa000, &img, &err)) << err;
  EXPECT_FALSE(img.has_interp);
  EXPECT_NE(img.exe.bias, 0u);
  EXPECT_LT(img.exe.start, as->mmap_base());
  EXPECT_EQ(img.entry, want.entry + img.exe.bias);
  EXPECT_EQ(img.exe.bias % mem::kPageSize, 0u);
}

TEST(ElfLoader, RejectsHostElfWithMachineNames) {
  // The test binary itself is an x86-64 ELF.
  EXPECT_EQ(InfoError("/proc/self/exe"), "this is an x86-64 ELF, polyvm run needs riscv64 (EM_RISCV)");
}

TEST(ElfLoader, RejectsMalformedFiles) {
  const std::vector<uint8_t> good = ReadFile(kHelloStatic);
  ASSERT_GT(good.size(), 4096u);
  Elf64_Ehdr eh;
  memcpy(&eh, good.data(), sizeof eh);

  auto with = [&](auto edit) {
    std::vector<uint8_t> b = good;
    edit(b);
    std::string path = WriteTemp(b);
    std::string e = InfoError(path);
    unlink(path.c_str());
    return e;
  };
  EXPECT_EQ(InfoError(kHelloStatic), "");
  EXPECT_EQ(with([](auto& b) { b.resize(10); }), "not an ELF file (too short)");
  EXPECT_EQ(with([](auto& b) { b.resize(40); }), "truncated ELF header");
  EXPECT_EQ(with([](auto& b) { b[1] = 'X'; }), "not an ELF file (bad magic)");
  EXPECT_EQ(with([](auto& b) { b.assign({'#', '!', '/', 'b', 'i', 'n', '/', 's', 'h', '\n', 0, 0, 0, 0, 0, 0}); }),
            "a script, not an ELF file");
  EXPECT_EQ(with([](auto& b) { b[EI_DATA] = ELFDATA2MSB; }),
            "this is a big-endian ELF (ELFDATA2MSB), polyvm run needs riscv64 (EM_RISCV)");
  EXPECT_EQ(with([](auto& b) { b[EI_CLASS] = ELFCLASS32; }),
            "this is a riscv32 ELF (ELFCLASS32), polyvm run needs riscv64 (EM_RISCV)");
  EXPECT_EQ(with([](auto& b) {
              uint16_t m = EM_AARCH64;
              memcpy(&b[offsetof(Elf64_Ehdr, e_machine)], &m, 2);
            }),
            "this is an AArch64 ELF, polyvm run needs riscv64 (EM_RISCV)");
  EXPECT_EQ(with([](auto& b) {
              uint16_t t = ET_REL;
              memcpy(&b[offsetof(Elf64_Ehdr, e_type)], &t, 2);
            }),
            "not an executable: a relocatable object (ET_REL)");
  EXPECT_EQ(with([](auto& b) {
              uint64_t off = b.size() - 8;
              memcpy(&b[offsetof(Elf64_Ehdr, e_phoff)], &off, 8);
            }),
            "program headers lie past the end of the file (truncated?)");
  EXPECT_EQ(with([&](auto& b) { b.resize(eh.e_phoff + 10); }),
            "program headers lie past the end of the file (truncated?)");
  // Find the first PT_LOAD and damage it.
  size_t load_at = 0;
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    memcpy(&ph, &good[eh.e_phoff + i * sizeof ph], sizeof ph);
    if (ph.p_type == PT_LOAD) {
      load_at = eh.e_phoff + i * sizeof ph;
      break;
    }
  }
  ASSERT_NE(load_at, 0u);
  EXPECT_NE(with([&](auto& b) {  // file data past EOF: truncated file
              b.resize(b.size() / 2);
            }).find("past the end of the file"),
            std::string::npos);
  EXPECT_NE(with([&](auto& b) {
              uint64_t big = uint64_t{1} << 60;
              memcpy(&b[load_at + offsetof(Elf64_Phdr, p_memsz)], &big, 8);
            }).find("absurd address range"),
            std::string::npos);
  EXPECT_NE(with([&](auto& b) {
              uint64_t odd = 0x10001;
              memcpy(&b[load_at + offsetof(Elf64_Phdr, p_vaddr)], &odd, 8);
            }).find("disagree modulo the page size"),
            std::string::npos);
  EXPECT_NE(with([&](auto& b) {
              Elf64_Phdr ph;
              memcpy(&ph, &b[load_at], sizeof ph);
              ph.p_filesz = ph.p_memsz + 1;
              memcpy(&b[load_at], &ph, sizeof ph);
            }).find("file size exceeds memory size"),
            std::string::npos);
  // The second PT_LOAD moved onto the first: overlapping segments.
  EXPECT_NE(with([&](auto& b) {
              Elf64_Phdr first;
              memcpy(&first, &b[load_at], sizeof first);
              for (unsigned i = 0; i < eh.e_phnum; ++i) {
                size_t at = eh.e_phoff + i * sizeof(Elf64_Phdr);
                Elf64_Phdr ph;
                memcpy(&ph, &b[at], sizeof ph);
                if (ph.p_type == PT_LOAD && at != load_at) {
                  ph.p_vaddr = first.p_vaddr + 0x1000 + (ph.p_offset % 0x1000);
                  memcpy(&b[at], &ph, sizeof ph);
                  break;
                }
              }
            }).find("overlaps"),
            std::string::npos);
}

TEST(ElfLoader, ExecutableOutsideTheGuestRangeIsRejected) {
  std::string err;
  mem::Layout small;
  small.size = uint64_t{1} << 24;  // 16 MiB: the program at 0x10000 fits, move it beyond
  auto as = mem::AddressSpace::Create(small, &err);
  ASSERT_TRUE(as);
  std::vector<uint8_t> b = ReadFile(kHelloStatic);
  Elf64_Ehdr eh;
  memcpy(&eh, b.data(), sizeof eh);
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    size_t at = eh.e_phoff + i * sizeof(Elf64_Phdr);
    Elf64_Phdr ph;
    memcpy(&ph, &b[at], sizeof ph);
    ph.p_vaddr += uint64_t{1} << 32;
    memcpy(&b[at], &ph, sizeof ph);
  }
  std::string path = WriteTemp(b);
  ProgramImage img;
  EXPECT_FALSE(LoadProgram(*as, Riscv64Abi(), path, "", 0, &img, &err));
  EXPECT_NE(err.find("outside the guest address space"), std::string::npos) << err;
  unlink(path.c_str());
}

TEST(ElfLoader, MissingFile) {
  auto as = NewSpace();
  ProgramImage img;
  std::string err;
  EXPECT_FALSE(LoadProgram(*as, Riscv64Abi(), "/nonexistent/prog", "", 0, &img, &err));
  EXPECT_EQ(err, "/nonexistent/prog: No such file or directory");
}

TEST(ElfLoader, SymbolsOfAStaticProgram) {
  int fd = open(kHelloStatic, O_RDONLY);
  ASSERT_GE(fd, 0);
  std::vector<ElfSymbol> syms;
  std::string err;
  ASSERT_TRUE(ReadElfSymbols(fd, &syms, &err)) << err;
  close(fd);
  bool main_found = false;
  for (const ElfSymbol& s : syms) {
    if (s.name == "main") {
      main_found = true;
      EXPECT_TRUE(s.is_function);
      EXPECT_GT(s.size, 0u);
    }
  }
  EXPECT_TRUE(main_found);
  EXPECT_TRUE(std::is_sorted(syms.begin(), syms.end(),
                             [](const ElfSymbol& a, const ElfSymbol& b) { return a.value < b.value; }));
}

}  // namespace
}  // namespace polyvm::linux
