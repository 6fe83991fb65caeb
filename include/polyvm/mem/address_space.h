// The user-mode guest address space: one reserved host range in which guest address a lives at host
// address base + a, and a table of guest mappings kept like the kernel's VMAs (for placement,
// /proc/self/maps, fault classification and permission checks).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <atomic>
#include <new>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "polyvm/mem/mapping.h"

namespace polyvm::mem {

struct Layout {
  uint64_t size = uint64_t{1} << 38;  // guest addresses [0, size): Sv39 user space
  uint64_t min_addr = 0x10000;        // lowest address a guest may map (vm.mmap_min_addr)
};

// What to map (like mmap's arguments). `fd` is a host descriptor for file mappings.
struct MapRequest {
  uint64_t addr = 0;  // hint, or the exact address with kMapFixed / kMapFixedNoReplace
  uint64_t length = 0;
  uint32_t prot = kProtNone;
  uint32_t flags = kMapPrivate | kMapAnonymous;
  int fd = -1;
  uint64_t offset = 0;
  // Shown in /proc/self/maps: the file's path, "[heap]", "[stack]", ...; and the file identity.
  std::string name;
  uint64_t dev = 0;
  uint64_t inode = 0;
};

enum RemapFlags : uint32_t { kRemapMayMove = 1, kRemapFixed = 2, kRemapDontUnmap = 4 };

class AddressSpace {
 public:
  // Reserves the whole guest range PROT_NONE. Returns null with *error set if the host refuses.
  static std::unique_ptr<AddressSpace> Create(const Layout& layout, std::string* error);
  ~AddressSpace();
  AddressSpace(const AddressSpace&) = delete;
  AddressSpace& operator=(const AddressSpace&) = delete;

  uint8_t* base() const { return base_; }
  uint64_t limit() const { return limit_; }
  uint64_t min_addr() const { return min_addr_; }
  // [addr, addr + len) lies inside the guest range (no wrap-around).
  bool Contains(uint64_t addr, uint64_t len) const { return addr <= limit_ && len <= limit_ - addr; }
  // Host address of a guest address; only meaningful after a Contains check.
  void* ToHost(uint64_t addr) const { return base_ + addr; }
  // Guest address of a host pointer inside the range (for host fault addresses).
  bool FromHost(uintptr_t host, uint64_t* guest) const;

  // Top of the area searched downwards for non-fixed mappings (the kernel's mmap_base).
  void SetMmapBase(uint64_t addr);
  uint64_t mmap_base() const { return mmap_base_; }

  // mmap: returns the guest address or -errno (EINVAL, ENOMEM, EEXIST, EPERM, or the host's error).
  int64_t Map(const MapRequest& req);
  // munmap: returns 0 or -EINVAL. Unmapped pages go back to the PROT_NONE reservation.
  int Unmap(uint64_t addr, uint64_t length);
  // mprotect: 0, -EINVAL, or -ENOMEM if part of the range is not mapped.
  int Protect(uint64_t addr, uint64_t length, uint32_t prot);
  // mremap: the new guest address or -errno.
  int64_t Remap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, uint32_t flags,
                uint64_t new_addr);

  // brk: InitBrk sets the start (page-aligned end of the program's data); Brk follows the kernel:
  // a request below the start or one that cannot be satisfied returns the current break.
  void InitBrk(uint64_t start);
  uint64_t Brk(uint64_t request);
  uint64_t brk_start() const { return brk_start_; }

  // The mapping containing addr, if any.
  std::optional<Mapping> Find(uint64_t addr) const;
  std::vector<Mapping> Mappings() const;
  // Number of bytes from addr (up to max) that are mapped with every permission in `prot`.
  uint64_t AccessibleBytes(uint64_t addr, uint64_t max, uint32_t prot) const;
  // Highest free range of `length` bytes below mmap_base (0 if none); honours a free hint first.
  uint64_t FindFree(uint64_t length, uint64_t hint = 0) const;

  // Called (without locks held) after code in [addr, addr + len) may have changed or lost its
  // mapping, so the engine can drop translations.
  void SetCodeChangeHook(std::function<void(uint64_t, uint64_t)> hook);

  // ---- Code pages: guest stores into translated code (docs/linux-user.md, "Self-modifying
  // code"). A guest-writable page that code was read from for translation is write-protected on
  // the host (its guest protection is unchanged), so the next store to it faults and the
  // translations can be dropped first. Host protection is therefore a function of (guest prot,
  // "holds code"); any change of the guest mapping (mmap, munmap, mprotect, mremap, brk) forgets
  // the pages' code state, because those changes invalidate the translations themselves.
  // These are const because they change only the host-side cache state, never what the guest sees.

  // Write-protects the guest-writable pages of [addr, addr + len) and records them as holding
  // code. Call before reading the code bytes, so a store after the read always faults.
  void ProtectCodePages(uint64_t addr, uint64_t len) const;
  // Makes the code pages in [addr, addr + len) writable again, forgets them and drops their
  // translations (through the code-change hook). Returns the number of pages released.
  uint64_t ReleaseCodePages(uint64_t addr, uint64_t len) const;
  // Drops the translations of [addr, addr + len) through the code-change hook, protection
  // unchanged: a translation reading these bytes meanwhile is not kept (a one-off translation).
  void DropTranslations(uint64_t addr, uint64_t len) const { NotifyCode(addr, len); }
  // Whether the page holding addr is currently write-protected because it holds code.
  bool IsCodePage(uint64_t addr) const;
  // Number of guest pages currently write-protected for code.
  uint64_t code_page_count() const { return code_page_count_.load(std::memory_order_relaxed); }

  // Held across fork() so that the child does not inherit a table another thread was changing.
  // The parent unlocks; the child (a different thread id, which a rwlock's owner check would
  // reject) gets a fresh, unlocked mutex.
  void LockForFork() { mu_.lock(); }
  void UnlockAfterForkInParent() { mu_.unlock(); }
  void ResetLockAfterForkInChild() { new (&mu_) std::shared_mutex(); }

 private:
  AddressSpace(uint8_t* base, const Layout& layout);

  // Caller holds mu_ exclusively.
  bool RangeFree(uint64_t start, uint64_t end) const;
  uint64_t FindFreeLocked(uint64_t length, uint64_t hint) const;
  void SplitAt(uint64_t addr);
  void EraseRange(uint64_t start, uint64_t end, bool* had_exec);
  void InsertMerged(Mapping m);
  bool Reserve(uint64_t start, uint64_t end);
  bool CoveredLocked(uint64_t start, uint64_t end) const;
  void NotifyCode(uint64_t addr, uint64_t len) const;
  // Code pages (code_pages.cpp), mu_ held exclusively: forget those in [start, end) whose host
  // mapping the caller replaces anyway; or make them writable again first (for mremap, which
  // carries host protection along). Restore returns whether there were any.
  void ForgetCodePagesLocked(uint64_t start, uint64_t end) const;
  bool RestoreCodePagesLocked(uint64_t start, uint64_t end) const;

  uint8_t* base_;
  uint64_t limit_;
  uint64_t min_addr_;
  uint64_t mmap_base_;
  uint64_t brk_start_ = 0;
  uint64_t brk_ = 0;

  mutable std::shared_mutex mu_;
  MappingTable table_;
  std::function<void(uint64_t, uint64_t)> code_hook_;
  mutable std::set<uint64_t> code_pages_;             // page addresses, under mu_
  mutable std::atomic<uint64_t> code_page_count_{0};  // code_pages_.size(), for lock-free checks
};

}  // namespace polyvm::mem
