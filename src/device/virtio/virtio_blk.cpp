// virtio-blk on a raw image file (virtio 1.x section 5.2).
//
// Flow: QueueNotify (vCPU thread, transport lock held) pops chains, parses and checks them, and
// either completes them at once (errors, GET_ID) or submits reads/writes/flushes to the
// AsyncFileIo. Completions run on the I/O thread: write the status byte, push the used entry,
// raise the interrupt. Locking: mu_ guards transport_ and the in-flight count; completions take
// it only to decrement the count, so Reset can wait for the disk without deadlock (it is the only
// place a vCPU waits for I/O, as a real device reset would).
#include "polyvm/device/virtio/virtio_blk.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>

#include "polyvm/device/virtio/async_file_io.h"
#include "polyvm/device/virtio/blk_request.h"
#include "polyvm/device/virtio/virtqueue.h"

namespace polyvm::device::virtio {

namespace {

constexpr uint32_t kDeviceIdBlk = 2;
constexpr uint64_t kFeatureSegMax = uint64_t{1} << 2;   // VIRTIO_BLK_F_SEG_MAX
constexpr uint64_t kFeatureRo = uint64_t{1} << 5;       // VIRTIO_BLK_F_RO
constexpr uint64_t kFeatureBlkSize = uint64_t{1} << 6;  // VIRTIO_BLK_F_BLK_SIZE
constexpr uint64_t kFeatureFlush = uint64_t{1} << 9;    // VIRTIO_BLK_F_FLUSH
constexpr uint16_t kQueueSize = 256;
constexpr uint32_t kConfigSize = 36;  // up to and including num_queues

class VirtioBlk final : public VirtioDevice {
 public:
  VirtioBlk(int fd, uint64_t capacity, const BlkOptions& options, std::unique_ptr<AsyncFileIo> io)
      : fd_(fd), capacity_(capacity), read_only_(options.read_only), io_(std::move(io)) {
    std::string serial = options.serial;
    if (serial.empty()) serial = options.path.substr(options.path.find_last_of('/') + 1);
    serial.resize(std::min<size_t>(serial.size(), kBlkIdBytes));
    serial_ = serial;
  }
  ~VirtioBlk() override {
    Reset();
    io_.reset();  // joins the I/O thread
    close(fd_);
  }

  uint32_t DeviceId() const override { return kDeviceIdBlk; }
  std::string_view Name() const override { return "virtio-blk"; }
  uint64_t DeviceFeatures() const override {
    return kFeatureSegMax | kFeatureBlkSize | kFeatureFlush | (read_only_ ? kFeatureRo : 0);
  }
  uint16_t NumQueues() const override { return 1; }
  uint16_t MaxQueueSize() const override { return kQueueSize; }
  uint32_t ConfigSize() const override { return kConfigSize; }

  // struct virtio_blk_config: le64 capacity @0, le32 size_max @8, le32 seg_max @12,
  // geometry @16, le32 blk_size @20, topology @24, writeback @32, le16 num_queues @34.
  void ReadConfig(uint32_t offset, std::span<uint8_t> data) override {
    uint8_t config[kConfigSize] = {};
    std::memcpy(config, &capacity_, 8);
    const uint32_t seg_max = kQueueSize - 2;  // header and status take two descriptors
    std::memcpy(config + 12, &seg_max, 4);
    const uint32_t blk_size = kSectorSize;
    std::memcpy(config + 20, &blk_size, 4);
    const uint16_t num_queues = 1;
    std::memcpy(config + 34, &num_queues, 2);
    std::memcpy(data.data(), config + offset, data.size());
  }

  void Activate(Transport& transport) override {
    std::lock_guard lock(mu_);
    transport_ = &transport;
  }

  void Reset() override {
    std::unique_lock lock(mu_);
    transport_ = nullptr;
    idle_.wait(lock, [&] { return in_flight_ == 0; });
  }

  void QueueNotify(uint16_t index) override {
    Transport* transport;
    {
      std::lock_guard lock(mu_);
      transport = transport_;
    }
    Virtqueue* vq = transport != nullptr ? transport->queue(index) : nullptr;
    if (vq == nullptr) return;
    Chain chain;
    std::string error;
    do {
      bool completed_now = false;
      for (;;) {
        const Virtqueue::PopResult r = vq->Pop(&chain, &error);
        if (r == Virtqueue::PopResult::kError) return transport->FailDevice(error);
        if (r == Virtqueue::PopResult::kEmpty) break;
        BlkRequest request;
        if (!ParseBlkRequest(transport->ram(), chain, &request, &error)) {
          return transport->FailDevice(error);
        }
        completed_now |= Start(*transport, *vq, index, chain.head, request);
      }
      if (completed_now) transport->NotifyUsed(index);
    } while (vq->ArmNotification());
  }

 private:
  // Returns true if the request completed synchronously (caller notifies once per batch).
  bool Start(Transport& transport, Virtqueue& vq, uint16_t index, uint16_t head,
             const BlkRequest& request) {
    const core::GuestRam& ram = transport.ram();
    const uint8_t status = CheckBlkRequest(request, capacity_, read_only_);
    if (status != kBlkStatusOk) {
      Finish(ram, vq, head, request, status, 0);
      return true;
    }
    if (request.type == kBlkTypeGetId) {
      uint8_t id[kBlkIdBytes] = {};
      std::memcpy(id, serial_.data(), serial_.size());
      const uint64_t written =
          CopyToChain(ram, request.data, 0, {id, std::min<size_t>(sizeof(id), request.data_bytes)});
      Finish(ram, vq, head, request, kBlkStatusOk, written);
      return true;
    }
    auto io = std::make_unique<FileIo>();
    io->op = request.type == kBlkTypeIn    ? FileIo::Op::kRead
             : request.type == kBlkTypeOut ? FileIo::Op::kWrite
                                           : FileIo::Op::kFlush;
    io->offset = request.sector * kSectorSize;
    if (io->op != FileIo::Op::kFlush) {
      for (const Buffer& b : request.data) {
        if (b.len != 0) io->iov.push_back({ram.Translate(b.gpa, b.len), b.len});
      }
      if (io->iov.empty()) {  // a zero-length transfer: nothing for the disk to do
        Finish(ram, vq, head, request, kBlkStatusOk, 0);
        return true;
      }
    }
    const bool is_read = io->op == FileIo::Op::kRead;
    io->done = [this, &transport, &vq, index, head, request, is_read](int64_t result) {
      const bool ok = result >= 0;
      // The file was read straight into guest buffers: tell the machine which bytes changed.
      if (ok && is_read) {
        for (const Buffer& b : request.data) transport.ram().NoteWrite(b.gpa, b.len);
      }
      Finish(transport.ram(), vq, head, request, ok ? kBlkStatusOk : kBlkStatusIoErr,
             ok && is_read ? static_cast<uint64_t>(result) : 0);
      transport.NotifyUsed(index);
      std::lock_guard lock(mu_);
      if (--in_flight_ == 0) idle_.notify_all();
    };
    {
      std::lock_guard lock(mu_);
      ++in_flight_;
    }
    io_->Submit(std::move(io));
    return false;
  }

  // Writes the status byte and returns the chain; written = data bytes put in guest buffers.
  static void Finish(const core::GuestRam& ram, Virtqueue& vq, uint16_t head,
                     const BlkRequest& request, uint8_t status, uint64_t written) {
    ram.Write(request.status_gpa, {&status, 1});
    vq.PushUsed(head, static_cast<uint32_t>(written + 1));
  }

  int fd_;
  uint64_t capacity_;  // sectors
  bool read_only_;
  std::string serial_;
  std::unique_ptr<AsyncFileIo> io_;

  std::mutex mu_;
  std::condition_variable idle_;
  Transport* transport_ = nullptr;
  uint64_t in_flight_ = 0;
};

}  // namespace

std::unique_ptr<VirtioDevice> MakeVirtioBlk(const BlkOptions& options, std::string* error) {
  const int fd = open(options.path.c_str(), (options.read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) {
    *error = options.path + ": " + std::strerror(errno);
    return nullptr;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
    *error = options.path + ": not a regular file or block device";
    close(fd);
    return nullptr;
  }
  const off_t end = lseek(fd, 0, SEEK_END);
  if (end < 0) {
    *error = options.path + ": cannot determine size: " + std::strerror(errno);
    close(fd);
    return nullptr;
  }
  std::string uring_error;
  std::unique_ptr<AsyncFileIo> io = MakeUringFileIo(fd, kQueueSize, &uring_error);
  if (io == nullptr) io = MakeThreadFileIo(fd);  // io_uring blocked (e.g. by a seccomp filter)
  return std::make_unique<VirtioBlk>(fd, static_cast<uint64_t>(end) / kSectorSize, options,
                                     std::move(io));
}

}  // namespace polyvm::device::virtio
