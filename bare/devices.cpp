// bare: the PC devices a guest of Gandalf programs (devices.h). Register values from the
// datasheets: 16550 (National Semiconductor), 8259A and 8254 (Intel).
#include "bare/devices.h"

#include <cstdint>

#include "bare/pc_io.h"

namespace {

// 8259A command and data ports, and the words of an initialisation.
constexpr std::uint16_t kMasterCmd = 0x20, kMasterData = 0x21, kSlaveCmd = 0xa0, kSlaveData = 0xa1;
constexpr std::uint8_t kIcw1EdgeCascadeIcw4 = 0x11;  // ICW1: init, IC4; edge triggered, cascade
constexpr std::uint8_t kIcw3SlaveOnIr2 = 0x04;       // master: a slave on IR2
constexpr std::uint8_t kIcw3SlaveId = 0x02;          // slave: its ID is 2
constexpr std::uint8_t kIcw4Upm = 0x01, kIcw4Aeoi = 0x02;
constexpr std::uint8_t kOcw2NonSpecificEoi = 0x20;
constexpr unsigned kCascadeIrq = 2;

// 8254 ports and the control word of counter 0, low then high byte, mode 2, binary.
constexpr std::uint16_t kPitCounter0 = 0x40, kPitControl = 0x43;
constexpr std::uint8_t kCounter0LoHiMode2 = 0x34;

// 16550 registers (offsets from the base) and the values written.
constexpr std::uint16_t kRbrThrDll = 0, kIerDlm = 1, kFcr = 2, kLcr = 3, kMcr = 4;
constexpr std::uint8_t kLcrDlab = 0x80, kLcr8N1 = 0x03, kFcrEnableClear = 0x07, kMcrDtrRtsOut2 = 0x0b;

}  // namespace

extern "C" {

unsigned bare_uart_init(std::uint16_t base, std::uint8_t ier) {
  bare_outb(static_cast<std::uint16_t>(base + kIerDlm), 0);
  bare_outb(static_cast<std::uint16_t>(base + kLcr), kLcrDlab);
  bare_outb(static_cast<std::uint16_t>(base + kRbrThrDll), 1);  // divisor 1: 115200 baud
  bare_outb(static_cast<std::uint16_t>(base + kIerDlm), 0);
  bare_outb(static_cast<std::uint16_t>(base + kLcr), kLcr8N1);
  bare_outb(static_cast<std::uint16_t>(base + kFcr), kFcrEnableClear);
  bare_outb(static_cast<std::uint16_t>(base + kMcr), kMcrDtrRtsOut2);
  bare_outb(static_cast<std::uint16_t>(base + kIerDlm), ier);
  return 8;
}

unsigned bare_pic_init(std::uint8_t vector_base, int auto_eoi, std::uint16_t unmasked) {
  const std::uint8_t icw4 = auto_eoi ? static_cast<std::uint8_t>(kIcw4Upm | kIcw4Aeoi) : kIcw4Upm;
  bare_outb(kMasterCmd, kIcw1EdgeCascadeIcw4);
  bare_outb(kMasterData, vector_base);
  bare_outb(kMasterData, kIcw3SlaveOnIr2);
  bare_outb(kMasterData, icw4);
  bare_outb(kSlaveCmd, kIcw1EdgeCascadeIcw4);
  bare_outb(kSlaveData, static_cast<std::uint8_t>(vector_base + 8));
  bare_outb(kSlaveData, kIcw3SlaveId);
  bare_outb(kSlaveData, icw4);
  return 8 + bare_pic_set_mask(unmasked);
}

unsigned bare_pic_set_mask(std::uint16_t unmasked) {
  if ((unmasked & 0xff00u) != 0) unmasked = static_cast<std::uint16_t>(unmasked | (1u << kCascadeIrq));
  const auto mask = static_cast<std::uint16_t>(~unmasked);
  bare_outb(kMasterData, static_cast<std::uint8_t>(mask));
  bare_outb(kSlaveData, static_cast<std::uint8_t>(mask >> 8));
  return 2;
}

unsigned bare_pic_eoi(unsigned irq) {
  if (irq < 8) {
    bare_outb(kMasterCmd, kOcw2NonSpecificEoi);
    return 1;
  }
  bare_outb(kSlaveCmd, kOcw2NonSpecificEoi);
  bare_outb(kMasterCmd, kOcw2NonSpecificEoi);
  return 2;
}

unsigned bare_pit_periodic(std::uint16_t count) {
  bare_outb(kPitControl, kCounter0LoHiMode2);
  bare_outb(kPitCounter0, static_cast<std::uint8_t>(count));
  bare_outb(kPitCounter0, static_cast<std::uint8_t>(count >> 8));
  return 3;
}

}  // extern "C"
