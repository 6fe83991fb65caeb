// Counts x86-64 instructions of generated host code with GNU objdump, for the golden tests.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace polyvm::engine::interp::test {

// Counts the instructions objdump finds in `code`; -1 if objdump is not available.
inline int CountHostInstructions(const std::vector<uint8_t>& code) {
  char path[] = "/tmp/polyvm_golden_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return -1;
  const bool ok = write(fd, code.data(), code.size()) == static_cast<ssize_t>(code.size());
  close(fd);
  if (!ok) {
    unlink(path);
    return -1;
  }
  std::string cmd = std::string("objdump -D -b binary -mi386:x86-64 ") + path + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    unlink(path);
    return -1;
  }
  int n = 0;
  char line[512];
  bool body = false;
  while (fgets(line, sizeof line, p) != nullptr) {
    if (std::strstr(line, "<.data>:") != nullptr) {
      body = true;
      continue;
    }
    // Instruction lines look like "   1c:\t48 8b ...\tmov ..."; continuation lines of long
    // instructions carry bytes only (no second tab).
    if (body && std::getenv("POLYVM_GOLDEN_DUMP") != nullptr) std::fputs(line, stderr);
    if (body && std::strchr(line, ':') != nullptr) {
      const char* tab = std::strchr(line, '\t');
      if (tab != nullptr && std::strchr(tab + 1, '\t') != nullptr) ++n;
    }
  }
  pclose(p);
  unlink(path);
  return body ? n : -1;
}

}  // namespace polyvm::engine::interp::test
