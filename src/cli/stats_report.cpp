// --stats: the headline numbers first (instructions, blocks, time in the engine and in syscalls,
// translation time), then every counter the engine and the Linux layer reported.
#include <cstdio>
#include <map>
#include <string>

#include "cli_internal.h"
#include "polyvm/core/stats.h"

namespace polyvm::cli {

namespace {

std::string Duration(double ns) {
  char buf[32];
  if (ns >= 1e9) {
    snprintf(buf, sizeof buf, "%.3f s", ns / 1e9);
  } else if (ns >= 1e6) {
    snprintf(buf, sizeof buf, "%.3f ms", ns / 1e6);
  } else if (ns >= 1e3) {
    snprintf(buf, sizeof buf, "%.3f us", ns / 1e3);
  } else {
    snprintf(buf, sizeof buf, "%.0f ns", ns);
  }
  return buf;
}

}  // namespace

std::string FormatStatValue(const core::Stats::Entry& e) {
  if (e.unit == "ns") return Duration(e.value);
  char buf[48];
  if (e.value == static_cast<double>(static_cast<long long>(e.value))) {
    snprintf(buf, sizeof buf, "%lld", static_cast<long long>(e.value));
  } else {
    snprintf(buf, sizeof buf, "%.3f", e.value);
  }
  std::string s = buf;
  if (!e.unit.empty()) s += " " + e.unit;
  return s;
}

void PrintStats(const core::ExecutionEngine& engine, const linux::Process& proc) {
  core::Stats stats;
  proc.CollectStats(stats);
  engine.CollectStats(stats);
  std::map<std::string, const core::Stats::Entry*> by_name;
  for (const auto& e : stats.entries) by_name[e.name] = &e;
  auto get = [&](const std::string& name) -> std::string {
    auto it = by_name.find(name);
    return it == by_name.end() ? "n/a" : FormatStatValue(*it->second);
  };
  const std::string eng(engine.Name());
  std::fprintf(stderr, "polyvm stats (engine %s):\n", eng.c_str());
  std::fprintf(stderr, "  %-34s %s\n", "guest instructions retired",
               get("guest.instructions_retired").c_str());
  std::fprintf(stderr, "  %-34s %s\n", "blocks translated",
               get(eng + ".blocks_translated").c_str());
  std::fprintf(stderr, "  %-34s %s\n", "blocks executed", get(eng + ".blocks_executed").c_str());
  std::fprintf(stderr, "  %-34s %s\n", ("time in the engine (" + eng + ")").c_str(),
               get("linux.engine_time").c_str());
  std::fprintf(stderr, "  %-34s %s\n", "time in syscalls", get("linux.syscall_time").c_str());
  std::fprintf(stderr, "  %-34s %s / %s\n", "translation time mean / p99",
               get(eng + ".translate_time_mean").c_str(), get(eng + ".translate_time_p99").c_str());
  if (eng == "hybrid") {  // per tier: what ran where, and what translating it cost
    std::fprintf(stderr, "  %-34s %s / %s (%s in the JIT)\n", "instructions interp / jit",
                 get("hybrid.insns_interp").c_str(), get("hybrid.insns_jit").c_str(),
                 get("hybrid.insns_jit_share").c_str());
    std::fprintf(stderr, "  %-34s %s / %s (%s hot)\n", "blocks translated interp / jit",
                 get("interp.blocks_translated").c_str(), get("jit.blocks_translated").c_str(),
                 get("hybrid.blocks_hot").c_str());
    for (const char* tier : {"interp", "jit"}) {
      const std::string t = tier;
      std::fprintf(stderr, "  %-34s %s / %s\n", (t + " translation time mean / p99").c_str(),
                   get(t + ".translate_time_mean").c_str(), get(t + ".translate_time_p99").c_str());
    }
  }
  if (by_name.count("jit.code_cache_used") != 0) {
    std::fprintf(stderr, "  %-34s %s of %s (%s flushes)\n", "JIT code cache used",
                 get("jit.code_cache_used").c_str(), get("jit.code_cache_size").c_str(),
                 get("jit.code_cache_flushes").c_str());
  }
  std::fprintf(stderr, "  all counters:\n");
  for (const auto& e : stats.entries) {
    std::fprintf(stderr, "    %-36s %s\n", e.name.c_str(), FormatStatValue(e).c_str());
  }
}

}  // namespace polyvm::cli
