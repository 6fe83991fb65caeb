// Superblock formation: lifting stays per guest block (the frontends are untouched); the IR is
// stitched afterwards. Blocks ending in a trap, a code-sync barrier or a halt are left out (they
// run once and leave); a part ending in an indirect jump or a system call ends the superblock.
#include "polyvm/engine/jit/superblock_former.h"

#include <algorithm>

#include "polyvm/ir/stitch.h"

namespace polyvm::engine::jit {

namespace {

bool Continues(ir::ExitKind k) { return k == ir::ExitKind::kJump || k == ir::ExitKind::kBranch; }

bool WorthTaking(ir::ExitKind k) {
  return k != ir::ExitKind::kTrap && k != ir::ExitKind::kCodeSync && k != ir::ExitKind::kHalt;
}

}  // namespace

bool FormSuperblock(const ir::Lifter& lifter, const ir::CodeReader& code, uint64_t head,
                    const FormOptions& options, const SuccessorChooser& choose, ir::Block& out,
                    std::vector<JitEngine::CodeRange>& ranges) {
  const ir::LiftOptions lift{std::max<uint32_t>(options.block_insns, 1)};
  lifter.Lift(head, code, lift, out);
  ranges.assign(1, {head, out.size});
  std::vector<uint64_t> taken{head};
  uint64_t last = head;
  // Where the current run of parts joined by direct jumps began: the first tier lifts a block
  // through its jumps (jit::Options::lift_through_jumps), so the exits of `last` may have been
  // counted under that pc instead, `last` never having been a translation's head.
  uint64_t jumped_from = head;
  auto in_superblock = [&](uint64_t pc) {
    return std::find(taken.begin(), taken.end(), pc) != taken.end();
  };
  while (Continues(out.exit.kind)) {
    const ir::Exit& e = out.exit;
    const bool jump = e.kind == ir::ExitKind::kJump;
    const uint64_t other = jump ? e.target : e.fallthrough;
    std::optional<uint64_t> next = e.target;
    if (e.target != other) {
      next = choose(last, e.target, other);
      if (!next && jumped_from != last) next = choose(jumped_from, e.target, other);
    }
    // An exit with a direction back into the superblock is its final exit (to the head: a
    // self-loop, whose registers the JIT keeps across the back edge) unless the profile ranked
    // the other direction hotter: then the loop back is the colder side exit and forming goes on.
    // A loop taken now and then must not become a self-loop that every run enters and leaves
    // (nbody's inner loop runs 4, 3, 2, 1 times: 1.36 -> 1.22 s). A part's own back edge never
    // reaches Run, so the profile cannot rank it: such an exit always stays final.
    const bool back_in_target = in_superblock(e.target);
    if (back_in_target || in_superblock(other)) {
      const uint64_t back_to = back_in_target ? e.target : other;
      if (back_to == last || !next || in_superblock(*next)) break;
    }
    if (!next) break;
    ir::Block part;
    lifter.Lift(*next, code, lift, part);
    if (!WorthTaking(part.exit.kind) || out.insn_count + part.insn_count > options.max_insns ||
        out.insts.size() + part.insts.size() + 2 > options.max_values) {
      break;
    }
    if (!ir::AppendBlock(out, part)) break;
    ranges.push_back({*next, part.size});
    taken.push_back(*next);
    if (!jump) jumped_from = *next;  // (`e` is the appended part's exit now)
    last = *next;
  }
  return ranges.size() > 1;
}

}  // namespace polyvm::engine::jit
