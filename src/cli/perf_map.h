// --perfmap: /tmp/perf-PID.map, the file `perf report` reads to name JIT code. One line per
// translation, "START SIZE name" (hex, no 0x), the name being the guest symbol and offset of the
// block's first instruction, from the symbol tables of the program and its ELF interpreter.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm/linux/elf.h"

namespace polyvm::cli {

class PerfMap {
 public:
  // Opens /tmp/perf-<getpid()>.map; false with *error if it cannot.
  bool Open(std::string* error);
  ~PerfMap();
  // The program whose symbols name translations; read on the first translation (after loading).
  void SetImage(const linux::ProgramImage* image) { image_ = image; }
  void Add(const engine::jit::Options::Translation& t);
  // "main+0x1c" for a guest pc, or "0x10a3c" outside every symbol.
  std::string Name(uint64_t pc);

 private:
  struct Sym {
    uint64_t start, size;
    std::string name;
  };
  void LoadSymbols();
  void AddFile(const std::string& path, uint64_t bias);

  FILE* file_ = nullptr;
  const linux::ProgramImage* image_ = nullptr;
  bool loaded_ = false;
  std::vector<Sym> syms_;  // sorted by start
};

}  // namespace polyvm::cli
