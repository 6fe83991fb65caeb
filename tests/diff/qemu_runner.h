// Runs cases under Debian's qemu-riscv64 (QEMU 7.2, user mode) through the qemu_oracle.c guest
// program: a second reference, used to confirm each Unicorn quirk and to check the extensions
// Unicorn lacks (Zba/Zbb/Zbs). One qemu process runs a whole batch of cases.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "case.h"

namespace polyvm::diff {

class QemuUserRunner {
 public:
  // Null, with the reason in *why, if qemu-riscv64 or the oracle program was not found at
  // configure time.
  static std::unique_ptr<QemuUserRunner> Create(std::string* why);

  // One outcome per case, in order. A case the oracle could not run has Stop::kError.
  std::vector<Outcome> Run(const std::vector<Case>& cases);

 private:
  QemuUserRunner(std::string qemu, std::string oracle)
      : qemu_(std::move(qemu)), oracle_(std::move(oracle)) {}
  std::string qemu_, oracle_;
};

}  // namespace polyvm::diff
