// `polyvm disasm`: guest instructions of an ELF file read straight from its executable segments,
// optionally with the IR of each block as lifted (--ir) and after the optimiser (--opt).
#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "cli_internal.h"
#include "polyvm/cli/options.h"
#include "polyvm/ir/passes/pipeline.h"
#include "polyvm/ir/printer.h"
#include "polyvm/linux/elf.h"

namespace polyvm::cli {

namespace {

// Reads code from the file's executable PT_LOAD segments at their own addresses.
class FileCodeReader final : public ir::CodeReader {
 public:
  FileCodeReader(int fd, const linux::ElfInfo& info) : fd_(fd) {
    for (const linux::ElfSegment& s : info.loads) {
      if (s.flags & PF_X) segs_.push_back(s);
    }
  }
  size_t Fetch(uint64_t pc, void* out, size_t size) const override {
    for (const linux::ElfSegment& s : segs_) {
      if (pc < s.vaddr || pc >= s.vaddr + s.filesz) continue;
      uint64_t n = std::min<uint64_t>(size, s.vaddr + s.filesz - pc);
      ssize_t r = pread(fd_, out, n, static_cast<off_t>(s.offset + (pc - s.vaddr)));
      return r > 0 ? static_cast<size_t>(r) : 0;
    }
    return 0;
  }
  const std::vector<linux::ElfSegment>& segments() const { return segs_; }

 private:
  int fd_;
  std::vector<linux::ElfSegment> segs_;
};

bool ParseAddress(const std::string& s, uint64_t* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 0);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

const linux::ElfSymbol* SymbolAt(const std::vector<linux::ElfSymbol>& syms, uint64_t pc) {
  for (const linux::ElfSymbol& s : syms) {
    if (s.value == pc && s.is_function) return &s;
  }
  return nullptr;
}

void PrintRange(const ir::Lifter& lifter, const FileCodeReader& code,
                const std::vector<linux::ElfSymbol>& syms, uint64_t start, uint64_t end,
                bool ir, bool opt) {
  uint64_t pc = start;
  while (pc < end) {
    if (const linux::ElfSymbol* s = SymbolAt(syms, pc)) {
      std::printf("\n%016" PRIx64 " <%s>:\n", pc, s->name.c_str());
    }
    if (!ir) {
      std::string text;
      unsigned len = lifter.Disassemble(pc, code, text);
      if (len == 0) {
        std::printf("  %" PRIx64 ":\t(not in an executable segment)\n", pc);
        return;
      }
      std::printf("  %" PRIx64 ":\t%s\n", pc, text.c_str());
      pc += len;
      continue;
    }
    ir::Block block;
    ir::LiftOptions options;
    lifter.Lift(pc, code, options, block);
    uint64_t at = pc;
    for (uint32_t i = 0; i < block.insn_count; ++i) {
      std::string text;
      unsigned len = lifter.Disassemble(at, code, text);
      if (len == 0) break;
      std::printf("  %" PRIx64 ":\t%s\n", at, text.c_str());
      at += len;
    }
    std::printf("  -- IR of block %" PRIx64 " (%u instructions, %u bytes):\n%s", block.pc,
                block.insn_count, block.size, ir::Print(block, lifter).c_str());
    if (opt) {
      ir::Block o = ir::passes::Optimize(block);
      std::printf("  -- optimised IR:\n%s", ir::Print(o, lifter).c_str());
    }
    if (block.size == 0) {  // the block is only a trap (fetch fault, illegal instruction)
      std::printf("  (block at %" PRIx64 " ends in a trap; stopping)\n", pc);
      return;
    }
    pc += block.size;
  }
}

}  // namespace

int DisasmMain(const DisasmCommand& cmd) {
  int fd = open(cmd.program.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::fprintf(stderr, "polyvm: %s: %s\n", cmd.program.c_str(), std::strerror(errno));
    return 1;
  }
  std::string error;
  GuestArch arch;
  if (!ChooseGuestArch(cmd.program, &arch, &error)) {
    std::fprintf(stderr, "polyvm: %s\n", error.c_str());
    close(fd);
    return 1;
  }
  const linux::GuestAbi& abi = *arch.abi;
  linux::ElfInfo info;
  std::vector<linux::ElfSymbol> syms;
  if (!linux::ReadElfInfo(fd, &abi, &info, &error) || !linux::ReadElfSymbols(fd, &syms, &error)) {
    std::fprintf(stderr, "polyvm: %s: %s\n", cmd.program.c_str(), error.c_str());
    close(fd);
    return 1;
  }
  const ir::Lifter& lifter = *arch.lifter;
  FileCodeReader code(fd, info);
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  if (cmd.where.empty()) {
    for (const linux::ElfSegment& s : code.segments()) ranges.emplace_back(s.vaddr, s.vaddr + s.filesz);
  } else {
    uint64_t start = 0, end = 0;
    if (ParseAddress(cmd.where[0], &start)) {
      if (cmd.where.size() == 2) {
        if (!ParseAddress(cmd.where[1], &end) || end <= start) {
          std::fprintf(stderr, "polyvm: bad end address '%s'\n", cmd.where[1].c_str());
          close(fd);
          return 1;
        }
      } else {
        end = start;
        for (const linux::ElfSymbol& s : syms) {
          if (s.is_function && s.value <= start && start < s.value + s.size) end = s.value + s.size;
        }
        if (end == start) end = UINT64_MAX;  // 64 instructions, counted below
      }
    } else if (cmd.where.size() == 1) {
      for (const linux::ElfSymbol& s : syms) {
        if (s.name == cmd.where[0]) {
          start = s.value;
          end = s.value + (s.size ? s.size : 4);
        }
      }
      if (end == 0) {
        std::fprintf(stderr, "polyvm: %s: no symbol '%s'\n", cmd.program.c_str(), cmd.where[0].c_str());
        close(fd);
        return 1;
      }
    } else {
      std::fprintf(stderr, "polyvm: bad start address '%s'\n", cmd.where[0].c_str());
      close(fd);
      return 1;
    }
    if (end == UINT64_MAX) {
      // No function around start: 64 instructions.
      uint64_t pc = start;
      std::string text;
      for (int i = 0; i < 64; ++i) {
        unsigned len = lifter.Disassemble(pc, code, text);
        if (len == 0) break;
        pc += len;
      }
      end = pc > start ? pc : start + 1;
    }
    ranges.emplace_back(start, end);
  }
  for (const auto& [start, end] : ranges) PrintRange(lifter, code, syms, start, end, cmd.ir, cmd.opt);
  close(fd);
  return 0;
}

}  // namespace polyvm::cli
