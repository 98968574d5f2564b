// The shape of the configuration tables that tools/gandalf-config generates.
//
// Gandalf never parses text: the host tool checks config/*.toml and emits
// `gandalf_config.hpp`, which defines `gandalf::cfg::system` and
// `gandalf::cfg::partitions[]` as constexpr instances of these types.
// Freestanding, also compiled into the host tool and the unit tests.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gandalf::config {

inline constexpr std::size_t max_partitions = 7;  // one I/O bitmap each fits a 16-bit iomap base
inline constexpr std::size_t max_port_ranges = 8;
inline constexpr std::size_t name_max = 16;       // including the NUL
inline constexpr std::size_t args_max = 256;      // including the NUL (Linux: its command line)
inline constexpr std::size_t max_channels = 4;    // RTOS<->Linux channels ([[channel]])

enum class Kind : std::uint8_t {
  linux_slot,  // the Linux partition: virtual from 0, physical from 0
  rtos,        // a μITRON instance: a slice of the RTOS window
};

enum class Virtualization : std::uint8_t {
  para,  // three hypercalls; only port I/O to virtual devices is emulated
  full,  // nearly full virtualization (Linux): privileged instructions trapped and emulated
};

enum class OnFault : std::uint8_t { stop, restart };

// What Gandalf does when a partition has used up its CPU budget for the period
// (docs/budgets.md): keep it off the CPU until the period ends, or end its run.
enum class OnBudget : std::uint8_t { throttle, restart, stop };
// Its words in the configuration, the monitor and gandalf-config's output: one spelling.
constexpr const char* on_budget_name(OnBudget b) {
  switch (b) {
    case OnBudget::throttle: return "throttle";
    case OnBudget::restart: return "restart";
    case OnBudget::stop: return "stop";
  }
  return "?";
}

enum class Com : std::uint8_t { none = 0, com1 = 1, com2 = 2, com3 = 3, com4 = 4 };

struct PortRange {
  std::uint16_t first;
  std::uint16_t last;  // inclusive
};

struct Partition {
  char name[name_max];
  char image[name_max];           // module name the boot loader must hand over
  char initrd[name_max];          // module name of the Linux initramfs; "" = none
  Kind kind;
  Virtualization virt;
  OnFault on_fault;
  Com console;
  std::uint8_t max_restarts;      // 0 = unlimited (only with on_fault = restart)
  bool strict_hypercalls;         // a hypercall with bad arguments stops the partition
  bool emulate_pic;               // ports 0x20/0x21/0xa0/0xa1 reach a virtual 8259 pair
  bool emulate_pit;               // ports 0x40-0x43 reach a virtual 8254
  std::int8_t wake_on_halt;       // benchmark instrumentation: partition index woken on halt, -1 none
  std::uint8_t port_range_count;
  std::uint16_t irq_mask;         // real IRQ lines routed to this partition (bit n = IRQ n)
  std::uint8_t console_irq;       // the line its console UART is wired to, if routed to it; 0xff none
  std::uint32_t phys_base;        // physical memory [phys_base, phys_base + memory)
  std::uint32_t memory;
  std::uint32_t virt_base;        // segment base
  std::uint32_t seg_limit;        // segment limit in bytes - 1 (byte granular semantics)
  std::uint32_t dump_offset;      // its part of the dump store: console tail, then memory copy
  std::uint32_t console_tail;     // bytes of console output kept (its THR then traps); 0 none
  std::uint32_t dump_memory;      // bytes of its memory, from its start, copied into its dump
  std::uint32_t budget_pit;       // CPU time per period in 8254 input ticks; 0 = no budget
  std::uint32_t budget_us;        // the same as configured, for the monitor
  std::uint32_t period_ticks;     // the budget's period in Gandalf timer ticks (0 without budget)
  OnBudget on_budget;
  PortRange ports[max_port_ranges];
  char args[args_max];
};

// A shared region between an RTOS instance and Linux with a doorbell each way
// (include/gandalf/channel.h, docs/channel.md). The region lies in the RTOS end's memory.
struct Channel {
  char name[name_max];
  std::uint8_t ends[2];           // partition indices; ends[0] writes the first half
  std::uint8_t irqs[2];           // each end's doorbell line on its virtual 8259
  std::uint32_t interval_us[2];   // ends[i]'s rings reach the other end at most this often (0: all)
  std::uint32_t phys;             // physical address of the region, 8 KiB aligned
  std::uint32_t size;             // both halves
  std::uint32_t record_size;      // bytes per record, its length word included

  // Which of ends[] is the Linux partition (index 0): the other is the RTOS instance.
  constexpr unsigned linux_side() const { return ends[0] == 0 ? 0 : 1; }
};

struct System {
  std::uint32_t ram_bytes;          // RAM the machine must provide
  std::uint32_t gandalf_phys;       // 4 MiB aligned, after the last RTOS instance
  std::uint32_t gandalf_memory;     // bytes of physical memory Gandalf owns
  std::uint32_t gandalf_virt;       // 0xfc400000 by default
  std::uint32_t rtos_window_base;   // 0xfc000000
  std::uint32_t rtos_window_size;   // 0x00400000
  std::uint32_t linux_limit;        // 0xfbffffff
  std::uint32_t image_store_bytes;  // pristine copies of the guest images, for restarts
  std::uint32_t dump_store_bytes;   // crash dumps' console tails and memory copies
  std::uint32_t tick_us;            // hardware timer period
  std::uint16_t pit_reload;         // 8254 channel 0 reload value for tick_us
  Com console;                      // Gandalf's log and monitor
  std::uint8_t partition_count;
  std::uint8_t channel_count;
};

}  // namespace gandalf::config
