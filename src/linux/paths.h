// Guest paths on the host: absolute paths that exist in the sysroot (-L) are redirected there, as
// qemu-user does; and the /proc files that must show the guest's view are synthesised.
#pragma once

#include <string>

namespace polyvm::linux {

class Process;

// The host path to use for a guest path (unchanged unless it is absolute, a sysroot is set and
// sysroot + path exists and is not a directory).
std::string MapGuestPath(const Process& proc, const std::string& path);

// If path names one of the /proc files polyvm synthesises for the guest (/proc/self/maps, auxv,
// cmdline, exe, /proc/cpuinfo), opens it and returns the descriptor or -errno; otherwise returns
// kNotSpecial.
inline constexpr int kNotSpecial = -100000;
int OpenSpecialPath(Process& proc, const std::string& path, int flags);

// readlink of /proc/self/exe (and /proc/<pid>/exe for polyvm's own pid): the guest program.
bool ReadlinkSpecial(const Process& proc, const std::string& path, std::string* target);

// Text of the guest's /proc/self/maps.
std::string GuestMapsText(const Process& proc);

}  // namespace polyvm::linux
