// -d out_asm (see host_disasm.h).
#include "host_disasm.h"

#include <fmt/format.h>

#if POLYVM_HAVE_CAPSTONE
#include <capstone/capstone.h>
#endif

namespace polyvm::cli {

#if POLYVM_HAVE_CAPSTONE

bool HostDisassemblerAvailable() { return true; }

std::string DisassembleTranslation(const engine::jit::Options::Translation& t) {
  std::string out =
      t.shared != nullptr
          ? fmt::format("OUT: the code arena's shared code {}: {} bytes\n", t.shared, t.body_size)
          : fmt::format("OUT: host code of the block at {:#x} ({} guest bytes): {} bytes\n",
                        t.guest_pc, t.guest_size, t.body_size);
  csh handle;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
    return out + "  (capstone: cannot open an x86-64 disassembler)\n";
  }
  cs_insn* insns = nullptr;
  const auto addr = reinterpret_cast<uint64_t>(t.host);
  size_t n = cs_disasm(handle, t.host, t.body_size, addr, 0, &insns);
  size_t done = 0;
  for (size_t i = 0; i < n; ++i) {
    out += fmt::format("  {:#x}:  {} {}\n", insns[i].address, insns[i].mnemonic, insns[i].op_str);
    done += insns[i].size;
  }
  if (done < t.body_size)
    out += fmt::format("  ({} bytes capstone cannot decode)\n", t.body_size - done);
  if (n > 0) cs_free(insns, n);
  cs_close(&handle);
  if (t.shared == nullptr) {
    out += fmt::format("  + {} bytes of out-of-line stubs and records\n", t.host_size - t.body_size);
  }
  return out;
}

#else

bool HostDisassemblerAvailable() { return false; }

std::string DisassembleTranslation(const engine::jit::Options::Translation&) { return {}; }

#endif

std::function<void(const engine::jit::Options::Translation&)> TranslationListener(PerfMap* perf_map,
                                                                                  FILE* out_asm) {
  if (perf_map == nullptr && out_asm == nullptr) return nullptr;
  return [perf_map, out_asm](const engine::jit::Options::Translation& t) {
    if (perf_map != nullptr) perf_map->Add(t);
    if (out_asm != nullptr) std::fputs(DisassembleTranslation(t).c_str(), out_asm);
  };
}

}  // namespace polyvm::cli
