// The syscall tables built from the .def files, and the argument-spec parser behind --strace.
#include "polyvm/linux/syscall_table.h"

#include <errno.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "handlers.h"

namespace polyvm::linux {

// Rows with handler `None` point here; the table turns it into "no handler".
int64_t SysNone(SyscallContext&, const SyscallArgs&) { return -ENOSYS; }

namespace {

struct KindName {
  std::string_view token;
  ArgKind kind;
};
constexpr KindName kKinds[] = {
    {"d", ArgKind::kDec},          {"u", ArgKind::kUDec},       {"x", ArgKind::kHex},
    {"p", ArgKind::kPtr},          {"s", ArgKind::kStr},        {"fd", ArgKind::kFd},
    {"o", ArgKind::kOct},          {"oflags", ArgKind::kOpenFlags}, {"prot", ArgKind::kProt},
    {"mflags", ArgKind::kMapFlags}, {"sig", ArgKind::kSignal},  {"obuf", ArgKind::kOutBuf},
    {"futex", ArgKind::kFutexOp},  {"clock", ArgKind::kClock},
};

constexpr SyscallTable::Row kGenericRows[] = {
#define SYSCALL(nr, name, handler, args) {nr, #name, Sys##handler, args},
#include "polyvm/linux/syscalls_generic.def"
#undef SYSCALL
};

constexpr SyscallTable::Row kRiscv64Rows[] = {
#define SYSCALL(nr, name, handler, args) {nr, #name, Sys##handler, args},
#include "polyvm/linux/syscalls_riscv64.def"
#undef SYSCALL
};

}  // namespace

bool SyscallTable::ParseArgs(std::string_view spec, std::vector<ArgKind>* out,
                             std::string_view* bad) {
  out->clear();
  while (!spec.empty()) {
    size_t comma = spec.find(',');
    std::string_view tok = spec.substr(0, comma);
    bool found = false;
    for (const KindName& k : kKinds) {
      if (k.token == tok) {
        out->push_back(k.kind);
        found = true;
        break;
      }
    }
    if (!found) {
      if (bad) *bad = tok;
      return false;
    }
    if (comma == std::string_view::npos) break;
    spec.remove_prefix(comma + 1);
    if (spec.empty()) {  // trailing comma
      if (bad) *bad = "";
      return false;
    }
  }
  return out->size() <= 6;
}

SyscallTable::SyscallTable(std::initializer_list<std::span<const Row>> parts) {
  uint32_t max_nr = 0;
  for (auto part : parts) {
    for (const Row& r : part) max_nr = std::max(max_nr, r.nr);
  }
  entries_.resize(max_nr + 1);
  for (uint32_t i = 0; i <= max_nr; ++i) entries_[i].nr = i;
  for (auto part : parts) {
    for (const Row& r : part) {
      SyscallEntry& e = entries_[r.nr];
      if (!e.name.empty()) {
        std::fprintf(stderr, "polyvm: syscall table: number %u defined twice (%.*s, %.*s)\n", r.nr,
                     static_cast<int>(e.name.size()), e.name.data(),
                     static_cast<int>(r.name.size()), r.name.data());
        std::abort();
      }
      e.name = r.name;
      e.handler = r.handler == &SysNone ? nullptr : r.handler;
      std::string_view bad;
      if (!ParseArgs(r.args, &e.args, &bad)) {
        std::fprintf(stderr, "polyvm: syscall table: %.*s has a bad argument kind '%.*s'\n",
                     static_cast<int>(r.name.size()), r.name.data(), static_cast<int>(bad.size()),
                     bad.data());
        std::abort();
      }
      e.hex_result = r.name == "mmap" || r.name == "brk" || r.name == "mremap";
    }
  }
  unknown_.nr = ~0u;
}

const SyscallEntry& SyscallTable::Lookup(uint64_t nr) const {
  if (nr < entries_.size()) return entries_[nr];
  return unknown_;
}

std::vector<uint32_t> SyscallTable::Numbers() const {
  std::vector<uint32_t> out;
  for (const SyscallEntry& e : entries_) {
    if (!e.name.empty()) out.push_back(e.nr);
  }
  return out;
}

const SyscallTable& Riscv64SyscallTable() {
  static const SyscallTable table({std::span<const SyscallTable::Row>(kGenericRows),
                                   std::span<const SyscallTable::Row>(kRiscv64Rows)});
  return table;
}

}  // namespace polyvm::linux
