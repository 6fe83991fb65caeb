// Shared test helpers (see harness.h).
#include "harness.h"

#include <cstdlib>
#include <string_view>

namespace polyvm::diff {

namespace {

std::optional<uint64_t> EnvNumber(const char* name) {
  const char* s = std::getenv(name);
  if (s == nullptr || *s == 0) return std::nullopt;
  return std::strtoull(s, nullptr, 0);
}

uint64_t SplitMix(uint64_t x) {
  x += 0x9e3779b97f4a7c15;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t BaseSeed(uint64_t fallback) { return EnvNumber("POLYVM_DIFF_SEED").value_or(fallback); }

unsigned CaseCount(unsigned fallback) {
  auto scale = EnvNumber("POLYVM_DIFF_SCALE");
  return scale ? static_cast<unsigned>(fallback * *scale) : fallback;
}

std::optional<unsigned> OnlyCase() {
  auto v = EnvNumber("POLYVM_DIFF_CASE");
  if (!v) return std::nullopt;
  return static_cast<unsigned>(*v);
}

uint64_t CaseSeed(uint64_t base, const std::string& salt, unsigned index) {
  uint64_t h = 0xcbf29ce484222325;  // FNV-1a of the salt
  for (char c : salt) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3;
  return SplitMix(base ^ SplitMix(h ^ index));
}

Case MakeCase(std::string name, const std::vector<uint32_t>& insns,
              const std::vector<std::pair<unsigned, uint64_t>>& x,
              const std::vector<std::pair<unsigned, uint64_t>>& f, uint32_t fcsr,
              const std::vector<std::pair<uint64_t, uint64_t>>& mem64) {
  Case c;
  c.name = std::move(name);
  auto emit = [&](uint32_t w, bool end) {
    InsnInfo in;
    in.offset = static_cast<uint32_t>(c.code.size());
    in.len = (w & 3) == 3 ? 4 : 2;
    in.word = w;
    in.end = end;
    if (!end) {
      Identified id = Identify(w);
      in.form = id.form;
      in.rd = static_cast<uint8_t>(id.rd), in.rs1 = static_cast<uint8_t>(id.rs1);
      in.rs2 = static_cast<uint8_t>(id.rs2), in.rs3 = static_cast<uint8_t>(id.rs3);
    }
    c.insns.push_back(in);
    for (unsigned b = 0; b < in.len; ++b) c.code.push_back(static_cast<uint8_t>(w >> (8 * b)));
  };
  for (uint32_t w : insns) emit(w, false);
  c.end_pc = kCodeBase + c.code.size();
  emit(0x00100073, true);  // ebreak
  for (auto [r, v] : x) c.init.x[r] = v;
  for (auto [r, v] : f) c.init.f[r] = v;
  c.init.fcsr = fcsr;
  for (auto [addr, v] : mem64) {
    for (unsigned b = 0; b < 8; ++b)
      c.data[addr - kDataBase + b] = static_cast<uint8_t>(v >> (8 * b));
  }
  return c;
}

std::vector<Profile> RandomProfiles() {
  std::vector<Profile> ps;
  Profile straight;
  straight.name = "straight";
  ps.push_back(straight);

  Profile branches;
  branches.name = "branches";
  branches.min_insns = 4;
  branches.branch_prob = 0.2;
  ps.push_back(branches);

  Profile fp;
  fp.name = "fp";
  fp.branch_prob = 0.05;
  fp.mix = Mix{.int_alu = 3,
               .muldiv = 1,
               .mem = 2,
               .atomic = 0,
               .fp_s = 12,
               .fp_d = 12,
               .compressed = 2,
               .csr = 2,
               .fence = 0};
  ps.push_back(fp);

  Profile mem;
  mem.name = "memory";
  mem.branch_prob = 0.1;
  mem.fault_prob = 0.15;
  mem.mix = Mix{.int_alu = 4,
                .muldiv = 1,
                .mem = 10,
                .atomic = 8,
                .fp_s = 1,
                .fp_d = 2,
                .compressed = 6,
                .csr = 0,
                .fence = 2};
  ps.push_back(mem);

  Profile rvc;
  rvc.name = "compressed";
  rvc.branch_prob = 0.15;
  rvc.mix = Mix{.int_alu = 3,
                .muldiv = 1,
                .mem = 1,
                .atomic = 0,
                .fp_s = 0,
                .fp_d = 1,
                .compressed = 20,
                .csr = 0,
                .fence = 0};
  ps.push_back(rvc);

  // Blocks as long as the interpreter's (64 instructions) and beyond, with branches.
  Profile lng;
  lng.name = "long";
  lng.min_insns = 30;
  lng.max_insns = 90;
  lng.branch_prob = 0.03;
  lng.illegal_prob = 0.002;  // few early stops: the point is long blocks
  lng.reserved_prob = lng.ebreak_prob = 0.0005;
  lng.bad_frm_prob = 0.01;
  ps.push_back(lng);

  // Many x0 sources and immediates: values the optimiser can fold.
  Profile konst;
  konst.name = "constants";
  konst.zero_read_prob = 0.35;
  konst.branch_prob = 0.1;
  konst.mix = Mix{.int_alu = 12,
                  .muldiv = 6,
                  .mem = 2,
                  .atomic = 1,
                  .fp_s = 3,
                  .fp_d = 3,
                  .compressed = 6,
                  .csr = 1,
                  .fence = 0};
  ps.push_back(konst);
  return ps;
}

std::vector<Profile> QemuOnlyProfiles() {
  Profile b;
  b.name = "bitmanip";
  b.branch_prob = 0.1;
  b.zero_read_prob = 0.1;
  b.mix = Mix{.int_alu = 5,
              .muldiv = 1,
              .mem = 1,
              .atomic = 0,
              .fp_s = 0,
              .fp_d = 0,
              .compressed = 2,
              .csr = 0,
              .fence = 0,
              .bitmanip = 16};
  b.exclude = {"ctzw"};  // QEMU 7.2 is wrong for it: unicorn_quirks.cpp, qemu-ctzw
  return {b};
}

}  // namespace polyvm::diff
