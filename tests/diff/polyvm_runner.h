// Runs a case through polyvm: the RISC-V64 frontend and any core::ExecutionEngine made by an
// EngineFactory (the interpreter now; the JIT adds a factory to engines.cpp). Guest memory is a
// reserved host range in which only the code and data pages are accessible.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "case.h"
#include "polyvm/core/engine.h"
#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::diff {

using EngineFactory =
    std::function<std::unique_ptr<core::ExecutionEngine>(const ir::Lifter&, const ir::CodeReader&)>;

struct EngineSpec {
  std::string name;
  EngineFactory make;
};

// The engines every differential test runs (engines.cpp).
std::vector<EngineSpec> Engines();

// Reads guest code from the case being run.
class CaseCodeReader final : public ir::CodeReader {
 public:
  void Set(const std::vector<uint8_t>* code) { code_ = code; }
  size_t Fetch(uint64_t pc, void* out, size_t size) const override;

 private:
  const std::vector<uint8_t>* code_ = nullptr;
};

class PolyvmRunner {
 public:
  explicit PolyvmRunner(EngineFactory factory);
  ~PolyvmRunner();
  PolyvmRunner(const PolyvmRunner&) = delete;
  PolyvmRunner& operator=(const PolyvmRunner&) = delete;

  // A fresh engine per case, so no translation outlives the code it was made from.
  Outcome Run(const Case& c);

  const frontend::riscv64::Riscv64Lifter& lifter() const { return lifter_; }

  // The disassembly of a case and the IR of its blocks (as lifted, before any pass), for reports.
  std::string Listing(const Case& c) const;

 private:
  EngineFactory factory_;
  frontend::riscv64::Riscv64Lifter lifter_;
  CaseCodeReader code_;
  uint8_t* mem_ = nullptr;
  uint64_t mem_size_ = 0;
};

}  // namespace polyvm::diff
