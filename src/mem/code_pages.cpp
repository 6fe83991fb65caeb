// Code pages: guest-writable pages that translated code was read from are write-protected on the
// host, so that a store into them (by the guest or by polyvm) can first drop the translations.
// See address_space.h and docs/linux-user.md, "Self-modifying code".
#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <mutex>

#include "polyvm/mem/address_space.h"

namespace polyvm::mem {

namespace {

// Host protection of a guest-writable page that holds code, and of one that no longer does.
constexpr int kCodeHostProt = PROT_READ;
constexpr int kWritableHostProt = PROT_READ | PROT_WRITE;

// mprotect inside the reservation on a page we know is mapped cannot fail short of the host
// running out of memory for VMAs; carrying on would leave host and bookkeeping disagreeing.
void HostProtect(uint8_t* host, int prot) {
  if (mprotect(host, kPageSize, prot) != 0) {
    std::perror("polyvm: mprotect of a guest code page");
    std::abort();
  }
}

}  // namespace

void AddressSpace::ProtectCodePages(uint64_t addr, uint64_t len) const {
  if (len == 0 || !Contains(addr, len)) return;
  const uint64_t first = PageDown(addr), last = PageDown(addr + len - 1);
  // Which pages are guest-writable and not yet protected; most code is in read-only pages, and
  // this runs for every instruction fetched for translation, so look under the shared lock first.
  auto needs_protection = [&]() {
    auto it = table_.upper_bound(first);
    if (it == table_.begin()) return false;
    --it;
    for (uint64_t page = first; page <= last; page += kPageSize) {
      while (it != table_.end() && it->second.end <= page) ++it;
      if (it == table_.end() || it->second.start > page) continue;
      if ((it->second.prot & kProtWrite) && !code_pages_.count(page)) return true;
    }
    return false;
  };
  {
    std::shared_lock lock(mu_);
    if (!needs_protection()) return;
  }
  std::unique_lock lock(mu_);
  auto it = table_.upper_bound(first);
  if (it == table_.begin()) return;
  --it;
  for (uint64_t page = first; page <= last; page += kPageSize) {
    while (it != table_.end() && it->second.end <= page) ++it;
    if (it == table_.end() || it->second.start > page) continue;
    if (!(it->second.prot & kProtWrite) || code_pages_.count(page)) continue;
    HostProtect(base_ + page, kCodeHostProt);
    code_pages_.insert(page);
  }
  code_page_count_.store(code_pages_.size(), std::memory_order_relaxed);
}

uint64_t AddressSpace::ReleaseCodePages(uint64_t addr, uint64_t len) const {
  if (len == 0 || code_page_count_.load(std::memory_order_relaxed) == 0) return 0;
  const uint64_t first = PageDown(addr);
  const uint64_t last = len > limit_ - std::min(addr, limit_) ? limit_ : addr + len;
  uint64_t released = 0, lo = 0, hi = 0;
  {
    std::unique_lock lock(mu_);
    for (auto it = code_pages_.lower_bound(first); it != code_pages_.end() && *it < last;) {
      HostProtect(base_ + *it, kWritableHostProt);
      if (released++ == 0) lo = *it;
      hi = *it + kPageSize;
      it = code_pages_.erase(it);
    }
    code_page_count_.store(code_pages_.size(), std::memory_order_relaxed);
  }
  // After the page is writable: a translation made from it meanwhile has protected it again (so
  // the next store faults again), or read bytes that this invalidation now drops.
  if (released != 0) NotifyCode(lo, hi - lo);
  return released;
}

bool AddressSpace::IsCodePage(uint64_t addr) const {
  std::shared_lock lock(mu_);
  return code_pages_.count(PageDown(addr)) != 0;
}

void AddressSpace::ForgetCodePagesLocked(uint64_t start, uint64_t end) const {
  if (code_pages_.empty()) return;
  code_pages_.erase(code_pages_.lower_bound(start), code_pages_.lower_bound(end));
  code_page_count_.store(code_pages_.size(), std::memory_order_relaxed);
}

bool AddressSpace::RestoreCodePagesLocked(uint64_t start, uint64_t end) const {
  auto from = code_pages_.lower_bound(start), to = code_pages_.lower_bound(end);
  if (from == to) return false;
  for (auto it = from; it != to; ++it) HostProtect(base_ + *it, kWritableHostProt);
  code_pages_.erase(from, to);
  code_page_count_.store(code_pages_.size(), std::memory_order_relaxed);
  return true;
}

}  // namespace polyvm::mem
