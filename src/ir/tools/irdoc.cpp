// polyvm_irdoc: prints the op reference of docs/ir.md from the op table (kOpInfo), so the document
// cannot drift from opcodes.def. `--check FILE` fails when FILE's generated section differs;
// `--update FILE` rewrites that section in place.
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "../op_fields.h"
#include "polyvm/ir/opcode.h"

namespace {

using polyvm::ir::Info;
using polyvm::ir::kOpcodeCount;
using polyvm::ir::kOpInfo;
using polyvm::ir::OpInfo;
using polyvm::ir::TypeClass;

constexpr std::string_view kBegin = "<!-- BEGIN GENERATED: polyvm_irdoc (do not edit by hand) -->";
constexpr std::string_view kEnd = "<!-- END GENERATED: polyvm_irdoc -->";

// Section headings, each starting at the op named (opcodes.def's comment groups).
struct Section {
  std::string_view first_op;
  std::string_view title;
};
constexpr Section kSections[] = {
    {"Const", "Constants, guest state, markers"},
    {"Add", "Integer arithmetic (wrapping, two's complement)"},
    {"CmpEq", "Comparison, selection, width changes"},
    {"AddCarry", "Flag computations (AArch64 NZCV, x86 EFLAGS)"},
    {"Load", "Memory (guest virtual addresses; aux = MemFlags)"},
    {"FAdd", "Scalar floating point (aux = FpMode)"},
    {"VAdd", "128-bit vectors (lane = log2 of the element size in bytes)"},
    {"ExitIf", "Control and environment"},
};

std::string_view ClassText(TypeClass c) {
  constexpr std::string_view kNames[] = {"-",  "Any", "Int", "IntB", "Bits", "Float", "Vec",
                                         "I1", "I8",  "I32", "I64",  "Same", "Same0", "Opt"};
  return kNames[static_cast<unsigned>(c)];
}

std::string PropsText(uint32_t p) {
  using namespace polyvm::ir;
  if (p == kPure) return "pure";
  if (p == kHelper) return "helper";
  std::string s;
  auto add = [&s](std::string_view name) {
    s += s.empty() ? std::string(name) : ", " + std::string(name);
  };
  if ((p & kMemAtomic) == kMemAtomic) {
    add("atomic");
    p &= ~uint32_t{kMemAtomic};
  }
  constexpr std::pair<uint32_t, std::string_view> kFlags[] = {
      {kReadsState, "reads-state"}, {kWritesState, "writes-state"},
      {kMarker, "marker"},          {kMemRead, "mem-read"},
      {kMemWrite, "mem-write"},     {kSideEffect, "side-effect"},
      {kFpEnv, "fp-env"},           {kExit, "exit"}};
  for (auto [bit, name] : kFlags) {
    if (p & bit) add(name);
  }
  return s;
}

// The Inst fields beyond the operands that the op reads (the same reading as the verifier's).
std::string FieldsText(polyvm::ir::Opcode op) {
  namespace d = polyvm::ir::detail;
  using polyvm::ir::Opcode;
  std::string s;
  auto add = [&s](std::string_view f) { s += s.empty() ? std::string(f) : ", " + std::string(f); };
  switch (d::ImmUseOf(op)) {
    case d::ImmUse::kConst: add("imm=value"); break;
    case d::ImmUse::kOffset: add("imm=state offset"); break;
    case d::ImmUse::kPc: add("imm=pc"); break;
    case d::ImmUse::kSideExit: add("imm=side exit"); break;
    case d::ImmUse::kHelper: add("imm=HelperInfo*"); break;
    case d::ImmUse::kBitPos: add("imm=first bit"); break;
    case d::ImmUse::kShift: add("imm=shift"); break;
    case d::ImmUse::kLaneIndex: add("imm=lane index"); break;
    case d::ImmUse::kNone: break;
  }
  if (op == Opcode::kGuestInsn) add("aux=length");
  if (d::FpFields(op) != 0) add("aux=FpMode");
  if (d::HasMemFlags(op)) add("aux=MemFlags");
  if (op == Opcode::kFence) add("aux=FenceKind");
  if (op == Opcode::kReadCounter) add("aux=Counter");
  if (d::IsVectorFpOp(op)) {
    add("lane=2,3");
  } else if (d::IsLaneOp(op)) {
    add("lane");
  }
  return s.empty() ? "-" : s;
}

std::string Escape(std::string_view doc) {
  std::string s;
  for (char c : doc) {
    if (c == '|') s += '\\';
    s += c;
  }
  return s;
}

bool Generate(std::string& out) {
  out = fmt::format("{}\n", kBegin);
  out += fmt::format("{} ops, generated from `include/polyvm/ir/opcodes.def`.\n", kOpcodeCount);
  size_t next_section = 0;
  for (unsigned i = 0; i < kOpcodeCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    if (next_section < std::size(kSections) && info.name == kSections[next_section].first_op) {
      out += fmt::format("\n#### {}\n\n", kSections[next_section].title);
      out += "| op | result | a | b | c | fields | effects | meaning |\n";
      out += "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
      ++next_section;
    } else if (i == 0) {
      std::fprintf(stderr, "polyvm_irdoc: the first op does not start a section\n");
      return false;
    }
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} | {} |\n", info.name,
                       ClassText(info.result), ClassText(info.args[0]), ClassText(info.args[1]),
                       ClassText(info.args[2]), FieldsText(static_cast<polyvm::ir::Opcode>(i)),
                       PropsText(info.props), Escape(info.doc));
  }
  out += fmt::format("{}\n", kEnd);
  if (next_section != std::size(kSections)) {
    std::fprintf(stderr, "polyvm_irdoc: section starting at op %s not found in table order\n",
                 std::string(kSections[next_section].first_op).c_str());
    return false;
  }
  return true;
}

bool ReadFile(const char* path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  text = ss.str();
  return true;
}

// Finds the generated section [begin, end) in text, markers included (end past kEnd's newline).
bool FindSection(const std::string& text, size_t& begin, size_t& end) {
  begin = text.find(kBegin);
  size_t e = text.find(kEnd);
  if (begin == std::string::npos || e == std::string::npos || e < begin) return false;
  end = e + kEnd.size();
  if (end < text.size() && text[end] == '\n') ++end;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string generated;
  if (!Generate(generated)) return 2;
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode.empty()) {
    std::fputs(generated.c_str(), stdout);
    return 0;
  }
  if ((mode != "--check" && mode != "--update") || argc != 3) {
    std::fprintf(stderr, "usage: polyvm_irdoc [--check|--update docs/ir.md]\n");
    return 2;
  }
  const char* path = argv[2];
  std::string text;
  size_t begin = 0, end = 0;
  if (!ReadFile(path, text) || !FindSection(text, begin, end)) {
    std::fprintf(stderr, "polyvm_irdoc: %s unreadable or without the generated-section markers\n",
                 path);
    return 1;
  }
  if (text.compare(begin, end - begin, generated) == 0) return 0;
  if (mode == "--check") {
    std::fprintf(stderr,
                 "%s: the generated op table differs from include/polyvm/ir/opcodes.def.\n"
                 "Regenerate it with:  %s --update %s\n",
                 path, argv[0], path);
    return 1;
  }
  text.replace(begin, end - begin, generated);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return out ? 0 : 1;
}
