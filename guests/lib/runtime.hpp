// Guest runtime for Gandalf's test and benchmark guests: console, virtual PIC/PIT, helpers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "bare/pc_io.h"  // bare_inb, bare_outb, bare_rdtsc
#include "bare/sort.h"   // bare_sort_u32
#include "gandalf/abi.h"

namespace guest {

// The boot information Gandalf wrote at the top of our memory.
extern const gandalf_boot_info* boot;

// Console on the partition's own UART (ports passed through, polled output).
void console_init(bool rx_interrupts);
[[gnu::format(printf, 1, 2)]] void print(const char* fmt, ...);
int console_getc();  // -1 if nothing received

// Virtual 8259 pair (trapped and emulated by Gandalf): vector base 0x20/0x28.
void vpic_init(bool auto_eoi, std::uint16_t unmasked);
void vpic_eoi(unsigned irq);
void vpic_set_mask(std::uint16_t unmasked);
// Virtual 8254 counter 0 in mode 2 with `count` (1193 = 1 ms). (bare/devices.h programs
// them; these count the traps.)
void vpit_periodic(std::uint16_t count);
// Number of port accesses to virtual devices made through these helpers (each traps).
extern std::uint32_t trapped_io;

// Argument "key=value" from the boot information; nullptr if absent.
const char* arg(const char* key, char* buf, std::size_t size);
std::uint32_t arg_uint(const char* key, std::uint32_t fallback);
bool streq(const char* a, const char* b);

}  // namespace guest
