// Random differential test cases: instruction sequences over RV64GC + Zicsr drawn from the form
// table, optionally with forward branches and jumps inside the sequence, ending in an ebreak at a
// known pc; edge-biased initial registers; a random data page that loads, stores and atomics use
// through "pointer" registers the sequence never overwrites.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "case.h"
#include "values.h"

namespace polyvm::diff {

// Relative weights of the instruction families in a profile.
struct Mix {
  unsigned int_alu = 10;  // RV64I arithmetic, logic, shifts, lui/auipc
  unsigned muldiv = 4;
  unsigned mem = 4;     // loads and stores (x and f)
  unsigned atomic = 2;  // lr/sc and AMOs
  unsigned fp_s = 4;    // F
  unsigned fp_d = 4;    // D
  unsigned compressed = 6;
  unsigned csr = 1;       // fflags/frm/fcsr
  unsigned fence = 1;     // fence, fence.i
  unsigned bitmanip = 0;  // Zba, Zbb, Zbs: only for qemu-user (Unicorn lacks them)
};

struct Profile {
  std::string name;
  unsigned min_insns = 1, max_insns = 30;
  double branch_prob = 0;        // chance that an item is a forward control transfer
  double fault_prob = 0;         // chance that a case holds one access outside the data page
  double illegal_prob = 0.01;    // chance of an instruction with a reserved rounding mode (rm 5, 6)
  double bad_frm_prob = 0.03;    // chance that fcsr.frm starts as a reserved value (5..7)
  double ebreak_prob = 0.003;    // chance that an item is an ebreak before the end
  double reserved_prob = 0.003;  // chance that an item is a reserved encoding (both must trap)
  double misaligned_prob = 0.02;  // chance that an atomic uses a misaligned address
  double zero_read_prob = 0.05;   // chance that an integer source is x0 (more constants to fold)
  Mix mix;
  std::string only_form;  // if set, every plain instruction is of this form (generator tests)
  std::vector<std::string> exclude;  // forms never drawn (a reference's known deviation)
};

// Builds a case from a seed: the same seed gives the same case.
Case Generate(const Profile& profile, uint64_t seed);

}  // namespace polyvm::diff
