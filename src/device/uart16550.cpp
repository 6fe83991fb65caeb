// 16550A register model. Transmission is instantaneous (no baud-rate timing): a byte written to
// THR goes to the backend at once and THR is empty again, which is what drivers observe from a
// very fast line. Register layout and bit meanings: the TI/National PC16550D data sheet.
#include "polyvm/device/uart16550.h"

#include <fmt/format.h>

#include <deque>
#include <mutex>

#include "diag.h"

namespace polyvm::device {

namespace {

// Register offsets (reg-shift 0). Reads and writes of offset 0/1 mean DLL/DLM while LCR.DLAB = 1.
enum Reg : uint64_t {
  kRbrThrDll = 0,
  kIerDlm = 1,
  kIirFcr = 2,
  kLcr = 3,
  kMcr = 4,
  kLsr = 5,
  kMsr = 6,
  kScr = 7,
};

constexpr uint8_t kIerRxData = 0x01, kIerThre = 0x02, kIerLineStatus = 0x04, kIerModem = 0x08;
constexpr uint8_t kIirNone = 0x01, kIirLineStatus = 0x06, kIirRxData = 0x04, kIirRxTimeout = 0x0c,
                  kIirThre = 0x02, kIirModem = 0x00, kIirFifoOn = 0xc0;
constexpr uint8_t kFcrEnable = 0x01, kFcrClearRx = 0x02;
constexpr uint8_t kLcrDlab = 0x80;
constexpr uint8_t kMcrDtr = 0x01, kMcrRts = 0x02, kMcrOut1 = 0x04, kMcrOut2 = 0x08, kMcrLoop = 0x10;
constexpr uint8_t kLsrDataReady = 0x01, kLsrOverrun = 0x02, kLsrThre = 0x20, kLsrTemt = 0x40,
                  kLsrErrors = 0x1e;
constexpr uint8_t kMsrDeltaMask = 0x0f, kMsrCts = 0x10, kMsrDsr = 0x20, kMsrRi = 0x40,
                  kMsrDcd = 0x80;
constexpr size_t kFifoSize = 16;
constexpr uint8_t kRxTriggerLevels[4] = {1, 4, 8, 14};  // FCR bits 7:6

}  // namespace

struct Uart16550::State {
  State(CharBackend& b, core::IrqLine& i) : backend(b), irq(i) {}

  CharBackend& backend;
  core::IrqLine& irq;
  std::mutex mu;  // everything below

  std::deque<uint8_t> rx;
  uint8_t ier = 0, lcr = 0x03, mcr = kMcrOut2, lsr = kLsrThre | kLsrTemt, msr = 0, scr = 0;
  uint8_t fcr = 0;  // last FCR value (bit 0: FIFOs on)
  uint16_t divisor = 12;
  bool thr_interrupt = false;  // THRE interrupt latched (cleared by IIR read or THR write)
  bool irq_level = false;

  bool fifo_on() const { return (fcr & kFcrEnable) != 0; }
  size_t rx_capacity() const { return fifo_on() ? kFifoSize : 1; }
  bool loopback() const { return (mcr & kMcrLoop) != 0; }

  // Highest-priority pending interrupt, as IIR bits 3:0 (data sheet table 4).
  uint8_t PendingInterrupt() const {
    if ((ier & kIerLineStatus) && (lsr & kLsrErrors)) return kIirLineStatus;
    if ((ier & kIerRxData) && !rx.empty()) {
      // Below the trigger level a real 16550 waits four character times, then reports a
      // character timeout; with no line timing we report the timeout at once.
      if (!fifo_on() || rx.size() >= kRxTriggerLevels[fcr >> 6]) return kIirRxData;
      return kIirRxTimeout;
    }
    if ((ier & kIerThre) && thr_interrupt) return kIirThre;
    if ((ier & kIerModem) && (msr & kMsrDeltaMask)) return kIirModem;
    return kIirNone;
  }

  void UpdateIrq() {
    const bool level = PendingInterrupt() != kIirNone;
    if (level != irq_level) {
      irq_level = level;
      irq.Set(level);
    }
  }

  void SyncLsr() {
    if (rx.empty()) {
      lsr &= ~kLsrDataReady;
    } else {
      lsr |= kLsrDataReady;
    }
  }

  // Pulls host input while the receiver has room (not in loopback: the line is disconnected).
  void FillRx() {
    while (!loopback() && rx.size() < rx_capacity()) {
      uint8_t byte;
      if (backend.Read({&byte, 1}) != 1) break;
      rx.push_back(byte);
    }
    SyncLsr();
  }

  void Receive(uint8_t byte) {
    if (rx.size() >= rx_capacity()) {
      lsr |= kLsrOverrun;  // the byte is lost, as on the chip
    } else {
      rx.push_back(byte);
    }
    SyncLsr();
  }

  void Transmit(uint8_t byte) {
    if (loopback()) {
      Receive(byte);
    } else {
      backend.Write({&byte, 1});
    }
    lsr |= kLsrThre | kLsrTemt;
    thr_interrupt = true;
  }

  // Modem status inputs: in loopback they follow MCR, otherwise a permanently connected line.
  void UpdateModemStatus() {
    uint8_t lines;
    if (loopback()) {
      lines =
          static_cast<uint8_t>(((mcr & kMcrRts) ? kMsrCts : 0) | ((mcr & kMcrDtr) ? kMsrDsr : 0) |
                               ((mcr & kMcrOut1) ? kMsrRi : 0) | ((mcr & kMcrOut2) ? kMsrDcd : 0));
    } else {
      lines = kMsrCts | kMsrDsr | kMsrDcd;
    }
    const uint8_t old = msr & 0xf0;
    uint8_t delta = msr & kMsrDeltaMask;
    const uint8_t changed = old ^ lines;
    if (changed & kMsrCts) delta |= 0x01;
    if (changed & kMsrDsr) delta |= 0x02;
    if ((old & kMsrRi) && !(lines & kMsrRi)) delta |= 0x04;  // trailing edge of RI
    if (changed & kMsrDcd) delta |= 0x08;
    msr = static_cast<uint8_t>(lines | delta);
  }

  uint8_t ReadReg(uint64_t reg) {
    const bool dlab = (lcr & kLcrDlab) != 0;
    switch (reg) {
      case kRbrThrDll: {
        if (dlab) return static_cast<uint8_t>(divisor);
        uint8_t byte = 0;
        if (!rx.empty()) {
          byte = rx.front();
          rx.pop_front();
        }
        FillRx();
        return byte;
      }
      case kIerDlm: return dlab ? static_cast<uint8_t>(divisor >> 8) : ier;
      case kIirFcr: {
        const uint8_t id = PendingInterrupt();
        if (id == kIirThre) thr_interrupt = false;  // reading IIR clears a THRE interrupt
        return static_cast<uint8_t>(id | (fifo_on() ? kIirFifoOn : 0));
      }
      case kLcr: return lcr;
      case kMcr: return mcr;
      case kLsr: {
        const uint8_t value = lsr;
        lsr &= ~(kLsrErrors);  // errors clear on read
        return value;
      }
      case kMsr: {
        const uint8_t value = msr;
        msr &= ~kMsrDeltaMask;
        return value;
      }
      case kScr: return scr;
    }
    return 0;
  }

  void WriteReg(uint64_t reg, uint8_t value) {
    const bool dlab = (lcr & kLcrDlab) != 0;
    switch (reg) {
      case kRbrThrDll:
        if (dlab) {
          divisor = static_cast<uint16_t>((divisor & 0xff00) | value);
        } else {
          Transmit(value);
        }
        return;
      case kIerDlm:
        if (dlab) {
          divisor = static_cast<uint16_t>((divisor & 0x00ff) | (value << 8));
        } else {
          const bool thre_enabled_now = !(ier & kIerThre) && (value & kIerThre);
          ier = value & 0x0f;
          // Enabling the THRE interrupt while THR is empty raises it (drivers rely on this to
          // start transmission).
          if (thre_enabled_now && (lsr & kLsrThre)) thr_interrupt = true;
        }
        return;
      case kIirFcr: {
        const bool was_on = fifo_on();
        fcr = value & 0xc9;  // keep enable, DMA mode and trigger bits
        if ((value & kFcrClearRx) || was_on != fifo_on()) {
          rx.clear();
          lsr &= ~kLsrOverrun;
        }
        FillRx();
        return;
      }
      case kLcr: lcr = value; return;
      case kMcr: {
        const bool was_loop = loopback();
        mcr = value & 0x1f;
        UpdateModemStatus();
        if (was_loop != loopback()) FillRx();
        return;
      }
      case kLsr: return;  // read-only (writes are a factory-test feature we do not model)
      case kMsr: return;  // read-only
      case kScr: scr = value; return;
    }
  }
};

Uart16550::Uart16550(CharBackend& backend, core::IrqLine& irq)
    : state_(std::make_unique<State>(backend, irq)) {
  {
    std::lock_guard lock(state_->mu);
    state_->UpdateModemStatus();
    state_->msr &= ~kMsrDeltaMask;
  }
  State* state = state_.get();
  backend.SetInputNotifier([state] {
    std::lock_guard lock(state->mu);
    state->FillRx();
    state->UpdateIrq();
  });
}

Uart16550::~Uart16550() { state_->backend.SetInputNotifier({}); }

uint64_t Uart16550::Read(uint64_t offset, unsigned size) {
  if (size != 1 || offset > kScr) {
    ReportGuestError(Name(), fmt::format("read of {} bytes at offset {:#x} (registers are 8 bytes, "
                                         "byte-wide); returning 0",
                                         size, offset));
    return 0;
  }
  std::lock_guard lock(state_->mu);
  const uint8_t value = state_->ReadReg(offset);
  state_->UpdateIrq();
  return value;
}

void Uart16550::Write(uint64_t offset, unsigned size, uint64_t value) {
  if (size != 1 || offset > kScr) {
    ReportGuestError(Name(), fmt::format("write of {} bytes at offset {:#x} (value {:#x}) "
                                         "ignored: registers are 8 bytes, byte-wide",
                                         size, offset, value));
    return;
  }
  std::lock_guard lock(state_->mu);
  state_->WriteReg(offset, static_cast<uint8_t>(value));
  state_->UpdateIrq();
}

}  // namespace polyvm::device
