// The guest address space: the PROT_NONE reservation, host mmap/mprotect/mremap inside it, and the
// mapping table that mirrors what the guest asked for (host pages never get PROT_EXEC).
#include "polyvm/mem/address_space.h"

#include <errno.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <mutex>

namespace polyvm::mem {

namespace {

int HostProt(uint32_t prot) {
  int p = PROT_NONE;
  if (prot & (kProtRead | kProtExec)) p |= PROT_READ;
  if (prot & kProtWrite) p |= PROT_READ | PROT_WRITE;
  return p;
}

bool Mergeable(const Mapping& a, const Mapping& b) {
  if (a.end != b.start || a.prot != b.prot || a.flags != b.flags || a.name != b.name ||
      a.dev != b.dev || a.inode != b.inode) {
    return false;
  }
  // Anonymous private memory merges freely; anything else only if it continues the same object.
  if ((a.flags & kMapAnonymous) && !(a.flags & kMapShared)) return true;
  return !(a.flags & kMapAnonymous) && a.offset + a.size() == b.offset;
}

// A hole inside the reservation could be taken by an unrelated host mapping, which guest accesses
// would then reach. Refill it without replacing anything; if something already sits there, polyvm
// can no longer keep its promise that guest addresses only reach guest memory, so stop.
void RefillHole(uint8_t* host, uint64_t len) {
  void* p = mmap(host, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
                                           MAP_FIXED_NOREPLACE, -1, 0);
  if (p == host) return;
  if (p != MAP_FAILED) munmap(p, len);
  // Partly refilled already? Retry page by page, tolerating pages that are ours.
  for (uint64_t off = 0; off < len; off += kPageSize) {
    void* q = mmap(host + off, kPageSize, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (q == MAP_FAILED && errno == EEXIST) continue;
    if (q != host + off) {
      std::fprintf(stderr, "polyvm: cannot re-reserve guest memory at host %p\n",
                   static_cast<void*>(host + off));
      std::abort();
    }
  }
}

}  // namespace

std::unique_ptr<AddressSpace> AddressSpace::Create(const Layout& layout, std::string* error) {
  if (layout.size < (uint64_t{1} << 24) || layout.size % kPageSize != 0 ||
      layout.min_addr % kPageSize != 0 || layout.min_addr >= layout.size) {
    if (error) *error = "invalid guest address space layout";
    return nullptr;
  }
  void* p = mmap(nullptr, layout.size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
                 0);
  if (p == MAP_FAILED) {
    if (error) {
      *error = "cannot reserve " + std::to_string(layout.size >> 20) +
               " MiB of host address space for the guest";
    }
    return nullptr;
  }
  return std::unique_ptr<AddressSpace>(new AddressSpace(static_cast<uint8_t*>(p), layout));
}

AddressSpace::AddressSpace(uint8_t* base, const Layout& layout)
    : base_(base), limit_(layout.size), min_addr_(layout.min_addr), mmap_base_(layout.size) {}

AddressSpace::~AddressSpace() { munmap(base_, limit_); }

bool AddressSpace::FromHost(uintptr_t host, uint64_t* guest) const {
  auto b = reinterpret_cast<uintptr_t>(base_);
  if (host < b || host - b >= limit_) return false;
  *guest = host - b;
  return true;
}

void AddressSpace::SetMmapBase(uint64_t addr) {
  std::unique_lock lock(mu_);
  mmap_base_ = std::min(PageDown(addr), limit_);
}

void AddressSpace::SetCodeChangeHook(std::function<void(uint64_t, uint64_t)> hook) {
  std::unique_lock lock(mu_);
  code_hook_ = std::move(hook);
}

void AddressSpace::NotifyCode(uint64_t addr, uint64_t len) const {
  std::function<void(uint64_t, uint64_t)> hook;
  {
    std::shared_lock lock(mu_);
    hook = code_hook_;
  }
  if (hook && len != 0) hook(addr, len);
}

bool AddressSpace::Reserve(uint64_t start, uint64_t end) {
  void* p = mmap(base_ + start, end - start, PROT_NONE,
                 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p != MAP_FAILED;
}

bool AddressSpace::RangeFree(uint64_t start, uint64_t end) const {
  auto it = table_.lower_bound(start);
  if (it != table_.end() && it->second.start < end) return false;
  if (it != table_.begin() && std::prev(it)->second.end > start) return false;
  return true;
}

bool AddressSpace::CoveredLocked(uint64_t start, uint64_t end) const {
  uint64_t at = start;
  auto it = table_.upper_bound(start);
  if (it == table_.begin()) return false;
  for (--it; it != table_.end() && at < end; ++it) {
    if (it->second.start > at || it->second.end <= at) return false;
    at = it->second.end;
  }
  return at >= end;
}

void AddressSpace::SplitAt(uint64_t addr) {
  auto it = table_.upper_bound(addr);
  if (it == table_.begin()) return;
  --it;
  Mapping& m = it->second;
  if (m.start >= addr || m.end <= addr) return;
  Mapping tail = m;
  tail.start = addr;
  if (!(tail.flags & kMapAnonymous)) tail.offset += addr - m.start;
  m.end = addr;
  table_.emplace(addr, std::move(tail));
}

void AddressSpace::EraseRange(uint64_t start, uint64_t end, bool* had_exec) {
  ForgetCodePagesLocked(start, end);
  SplitAt(start);
  SplitAt(end);
  auto it = table_.lower_bound(start);
  while (it != table_.end() && it->second.start < end) {
    if (had_exec && (it->second.prot & kProtExec)) *had_exec = true;
    it = table_.erase(it);
  }
}

void AddressSpace::InsertMerged(Mapping m) {
  auto it = table_.emplace(m.start, std::move(m)).first;
  if (it != table_.begin()) {
    auto prev = std::prev(it);
    if (Mergeable(prev->second, it->second)) {
      prev->second.end = it->second.end;
      table_.erase(it);
      it = prev;
    }
  }
  auto next = std::next(it);
  if (next != table_.end() && Mergeable(it->second, next->second)) {
    it->second.end = next->second.end;
    table_.erase(next);
  }
}

uint64_t AddressSpace::FindFreeLocked(uint64_t length, uint64_t hint) const {
  if (length == 0 || length > limit_) return 0;
  if (hint != 0) {
    uint64_t h = PageUp(hint);
    if (h >= hint && h >= min_addr_ && Contains(h, length) && RangeFree(h, h + length)) return h;
  }
  uint64_t top = mmap_base_;
  auto it = table_.lower_bound(top);
  for (;;) {
    uint64_t lo = min_addr_;
    auto prev = it;
    bool has_prev = it != table_.begin();
    if (has_prev) {
      --prev;
      if (prev->second.end > top) {  // straddles the current top: continue below it
        top = std::min(top, prev->second.start);
        it = prev;
        continue;
      }
      lo = std::max(lo, prev->second.end);
    }
    if (top > lo && top - lo >= length) return PageDown(top - length);
    if (!has_prev) return 0;
    top = prev->second.start;
    it = prev;
  }
}

uint64_t AddressSpace::FindFree(uint64_t length, uint64_t hint) const {
  std::shared_lock lock(mu_);
  return FindFreeLocked(PageUp(length), hint);
}

int64_t AddressSpace::Map(const MapRequest& req) {
  if (req.length == 0) return -EINVAL;
  uint64_t len = PageUp(req.length);
  if (len < req.length || len > limit_) return -ENOMEM;
  if (req.offset % kPageSize != 0) return -EINVAL;
  if (!(req.flags & kMapAnonymous) && req.fd < 0) return -EBADF;
  bool fixed = req.flags & (kMapFixed | kMapFixedNoReplace);
  bool had_exec = false;
  uint64_t addr;
  {
    std::unique_lock lock(mu_);
    if (fixed) {
      addr = req.addr;
      if (addr % kPageSize != 0) return -EINVAL;
      if (!Contains(addr, len)) return -ENOMEM;
      if (addr < min_addr_) return -EPERM;
      if ((req.flags & kMapFixedNoReplace) && !RangeFree(addr, addr + len)) return -EEXIST;
    } else {
      addr = FindFreeLocked(len, req.addr);
      if (addr == 0) return -ENOMEM;
    }
    int host_flags = MAP_FIXED | ((req.flags & kMapShared) ? MAP_SHARED : MAP_PRIVATE);
    if (req.flags & kMapAnonymous) host_flags |= MAP_ANONYMOUS;
    if (req.flags & kMapNoReserve) host_flags |= MAP_NORESERVE;
    if (req.flags & kMapPopulate) host_flags |= MAP_POPULATE;
    void* p = mmap(base_ + addr, len, HostProt(req.prot), host_flags,
                   (req.flags & kMapAnonymous) ? -1 : req.fd,
                   static_cast<off_t>((req.flags & kMapAnonymous) ? 0 : req.offset));
    if (p == MAP_FAILED) {
      int err = errno;
      // Linux fails most mmaps before touching the old pages; one that fails later (out of
      // memory, a driver refusing) has unmapped the whole range. Either the range is intact or it
      // is one hole: put the reservation back in the hole and forget the guest mappings there.
      void* q = mmap(base_ + addr, len, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
      if (q == base_ + addr) {
        EraseRange(addr, addr + len, &had_exec);
      } else if (q != MAP_FAILED) {
        munmap(q, len);  // a kernel without MAP_FIXED_NOREPLACE placed it elsewhere
      }
      return -err;
    }
    EraseRange(addr, addr + len, &had_exec);
    Mapping m;
    m.start = addr;
    m.end = addr + len;
    m.prot = req.prot;
    m.flags = req.flags & (kMapShared | kMapAnonymous | kMapGrowsDown);
    m.offset = (req.flags & kMapAnonymous) ? 0 : req.offset;
    m.dev = req.dev;
    m.inode = req.inode;
    m.name = req.name;
    had_exec |= (req.prot & kProtExec) != 0;
    InsertMerged(std::move(m));
  }
  if (had_exec) NotifyCode(addr, len);
  return static_cast<int64_t>(addr);
}

int AddressSpace::Unmap(uint64_t addr, uint64_t length) {
  if (addr % kPageSize != 0 || length == 0) return -EINVAL;
  uint64_t len = PageUp(length);
  if (len < length || !Contains(addr, len)) return -EINVAL;
  bool had_exec = false;
  {
    std::unique_lock lock(mu_);
    if (!Reserve(addr, addr + len)) return -ENOMEM;
    EraseRange(addr, addr + len, &had_exec);
  }
  if (had_exec) NotifyCode(addr, len);
  return 0;
}

int AddressSpace::Protect(uint64_t addr, uint64_t length, uint32_t prot) {
  if (addr % kPageSize != 0) return -EINVAL;
  if (prot & ~uint32_t{kProtRead | kProtWrite | kProtExec}) return -EINVAL;
  uint64_t len = PageUp(length);
  if (len < length) return -ENOMEM;
  if (len == 0) return 0;
  if (!Contains(addr, len)) return -ENOMEM;
  bool had_exec = false;
  {
    std::unique_lock lock(mu_);
    if (!CoveredLocked(addr, addr + len)) return -ENOMEM;
    if (mprotect(base_ + addr, len, HostProt(prot)) != 0) return -errno;
    ForgetCodePagesLocked(addr, addr + len);  // had_exec holds: the hook drops their code
    SplitAt(addr);
    SplitAt(addr + len);
    std::vector<Mapping> changed;
    for (auto it = table_.lower_bound(addr); it != table_.end() && it->second.start < addr + len;) {
      had_exec |= ((it->second.prot | prot) & kProtExec) != 0;
      Mapping m = std::move(it->second);
      m.prot = prot;
      changed.push_back(std::move(m));
      it = table_.erase(it);
    }
    for (Mapping& m : changed) InsertMerged(std::move(m));
  }
  if (had_exec) NotifyCode(addr, len);
  return 0;
}

int64_t AddressSpace::Remap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, uint32_t flags,
                            uint64_t new_addr) {
  if (flags & ~uint32_t{kRemapMayMove | kRemapFixed | kRemapDontUnmap}) return -EINVAL;
  if ((flags & (kRemapFixed | kRemapDontUnmap)) && !(flags & kRemapMayMove)) return -EINVAL;
  if (old_addr % kPageSize != 0) return -EINVAL;
  uint64_t olen = PageUp(old_len), nlen = PageUp(new_len);
  if (olen < old_len || nlen < new_len || nlen == 0) return -EINVAL;
  if (olen == 0) return -EINVAL;  // duplicating a shared mapping is not supported
  if ((flags & kRemapDontUnmap) && olen != nlen) return -EINVAL;
  if (!Contains(old_addr, olen)) return -EFAULT;
  bool had_exec = false;
  bool had_code_pages = false;
  int64_t result;
  {
    std::unique_lock lock(mu_);
    auto it = table_.upper_bound(old_addr);
    if (it == table_.begin()) return -EFAULT;
    --it;
    const Mapping src = it->second;
    if (src.end < old_addr + olen || src.start > old_addr) return -EFAULT;
    had_exec = (src.prot & kProtExec) != 0;
    uint64_t src_offset = (src.flags & kMapAnonymous) ? 0 : src.offset + (old_addr - src.start);
    auto place = [&](uint64_t dest) -> int64_t {
      // The host moves page protection along: code pages must be writable again first.
      had_code_pages |= RestoreCodePagesLocked(old_addr, old_addr + olen);
      void* p = mremap(base_ + old_addr, olen, nlen,
                       MREMAP_MAYMOVE | MREMAP_FIXED |
                           ((flags & kRemapDontUnmap) ? MREMAP_DONTUNMAP : 0),
                       base_ + dest);
      if (p == MAP_FAILED) return -errno;
      if (!(flags & kRemapDontUnmap)) {
        RefillHole(base_ + old_addr, olen);
        EraseRange(old_addr, old_addr + olen, nullptr);
      }
      EraseRange(dest, dest + nlen, &had_exec);
      Mapping m = src;
      m.start = dest;
      m.end = dest + nlen;
      m.offset = src_offset;
      InsertMerged(std::move(m));
      return static_cast<int64_t>(dest);
    };
    if (flags & kRemapFixed) {
      if (new_addr % kPageSize != 0 || !Contains(new_addr, nlen) || new_addr < min_addr_) {
        return -EINVAL;
      }
      if (new_addr < old_addr + olen && old_addr < new_addr + nlen) return -EINVAL;
      result = place(new_addr);
    } else if (nlen <= olen && !(flags & kRemapDontUnmap)) {
      if (nlen < olen) {
        if (!Reserve(old_addr + nlen, old_addr + olen)) return -ENOMEM;
        EraseRange(old_addr + nlen, old_addr + olen, nullptr);
      }
      result = static_cast<int64_t>(old_addr);
    } else {
      result = -ENOMEM;
      uint64_t grow_at = old_addr + olen, grow_end = old_addr + nlen;
      if (!(flags & kRemapDontUnmap) && Contains(old_addr, nlen) && RangeFree(grow_at, grow_end)) {
        // Grow in place: open a hole after the mapping for the host's mremap to grow into.
        had_code_pages |= RestoreCodePagesLocked(old_addr, old_addr + olen);
        munmap(base_ + grow_at, grow_end - grow_at);
        void* p = mremap(base_ + old_addr, olen, nlen, 0);
        if (p == base_ + old_addr) {
          SplitAt(old_addr);
          auto cur = table_.find(old_addr);
          Mapping m = cur->second;
          table_.erase(cur);
          m.end = grow_end;
          InsertMerged(std::move(m));
          result = static_cast<int64_t>(old_addr);
        } else {
          RefillHole(base_ + grow_at, grow_end - grow_at);
        }
      }
      if (result < 0 && (flags & kRemapMayMove)) {
        uint64_t dest = FindFreeLocked(nlen, 0);
        result = dest == 0 ? -ENOMEM : place(dest);
      }
    }
  }
  if ((had_exec && result >= 0) || had_code_pages) NotifyCode(old_addr, olen);
  return result;
}

void AddressSpace::InitBrk(uint64_t start) {
  std::unique_lock lock(mu_);
  brk_start_ = brk_ = PageUp(start);
}

uint64_t AddressSpace::Brk(uint64_t request) {
  std::unique_lock lock(mu_);
  if (request < brk_start_ || request > limit_) return brk_;
  uint64_t old_top = PageUp(brk_), new_top = PageUp(request);
  if (new_top > old_top) {
    if (!RangeFree(old_top, new_top)) return brk_;
    void* p = mmap(base_ + old_top, new_top - old_top, PROT_READ | PROT_WRITE,
                   MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      RefillHole(base_ + old_top, new_top - old_top);
      return brk_;
    }
    Mapping m;
    m.start = old_top;
    m.end = new_top;
    m.prot = kProtRead | kProtWrite;
    m.flags = kMapAnonymous;
    m.name = "[heap]";
    InsertMerged(std::move(m));
  } else if (new_top < old_top) {
    if (!Reserve(new_top, old_top)) return brk_;
    EraseRange(new_top, old_top, nullptr);
  }
  brk_ = request;
  return brk_;
}

std::optional<Mapping> AddressSpace::Find(uint64_t addr) const {
  std::shared_lock lock(mu_);
  auto it = table_.upper_bound(addr);
  if (it == table_.begin()) return std::nullopt;
  --it;
  if (addr >= it->second.end) return std::nullopt;
  return it->second;
}

std::vector<Mapping> AddressSpace::Mappings() const {
  std::shared_lock lock(mu_);
  std::vector<Mapping> out;
  out.reserve(table_.size());
  for (const auto& [start, m] : table_) out.push_back(m);
  return out;
}

uint64_t AddressSpace::AccessibleBytes(uint64_t addr, uint64_t max, uint32_t prot) const {
  std::shared_lock lock(mu_);
  auto it = table_.upper_bound(addr);
  if (it == table_.begin()) return 0;
  --it;
  uint64_t at = addr, end = max > limit_ - std::min(addr, limit_) ? limit_ : addr + max;
  for (; it != table_.end() && at < end; ++it) {
    const Mapping& m = it->second;
    if (m.start > at || m.end <= at || (m.prot & prot) != prot) break;
    at = m.end;
  }
  return std::min(at, end) - std::min(addr, end);
}

}  // namespace polyvm::mem
