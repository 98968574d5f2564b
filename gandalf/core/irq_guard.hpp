// Interrupt-storm guard: a per-line budget of real interrupts, enforced by masking the line at
// the real 8259 for a while (issue #10 item 3). Portable (no I/O, time in timer ticks), so the
// unit tests run exactly the logic Gandalf runs; vmm.cpp does the masking and the reports.
//
// A partition that owns a device can make it interrupt as often as it likes (a 16550 with
// OUT2 set raises an edge each time its "transmitter empty" enable is switched on). Every such
// interrupt costs Gandalf an entry and a virtual-PIC update, whoever runs at the time. So:
//  - each line may take at most `budget` interrupts per window of `window_ms`; the one over
//    budget masks the line for `first_mask_ms`, doubled for each storm that follows within
//    `quiet_ms` of the last unmasking, up to `max_mask_ms`;
//  - an interrupt on a line nobody owns masks that line for good (nothing re-raises it).
// The hot path is one increment and one compare (count()); the rest runs once per tick or
// once per storm.
#pragma once

#include <cstdint>

namespace gandalf::core {

struct IrqStormLimits {
  std::uint32_t window_ms = 10;
  std::uint32_t budget = 500;  // interrupts per line per window: 50 per ms, sustained for 10 ms
  std::uint32_t first_mask_ms = 100;
  std::uint32_t max_mask_ms = 6400;
  std::uint32_t quiet_ms = 1000;
};

// The budget Gandalf enforces (docs/architecture.md, "Interrupt storms"). An ISA device that
// works as intended stays far below it: a 16550 at 115200 baud without FIFO interrupts about
// 23 times per millisecond (a byte received and one sent each 87 µs).
inline constexpr IrqStormLimits default_irq_storm_limits{};

class IrqGuard {
 public:
  static constexpr unsigned lines = 16;

  // What a storm did, for the report.
  struct Storm {
    bool report;          // false when the line was already masked (nothing new to say)
    std::uint32_t count;  // interrupts counted in the current window
    std::uint32_t window_ms;
    std::uint32_t budget;
    std::uint32_t masked_ms;  // how long the line stays masked
    std::uint32_t repeat;     // 0 for the first storm, n for the n-th in a row
  };

  // Converts the limits to timer ticks of `tick_us` (each at least one tick).
  void configure(const IrqStormLimits& limits, std::uint32_t tick_us);

  // Hot path: counts one interrupt on `irq`; true when the line is over its budget.
  bool count(unsigned irq) { return ++counts_[irq] > budget_; }

  // The line went over budget: marks it masked (the caller masks the 8259) until its time
  // is up; see Storm.
  Storm storm(unsigned irq);

  // An interrupt on a line nobody owns: masked for good. True the first time (report it).
  bool unowned(unsigned irq);

  // Once per timer tick: starts a new window when one ends, and returns the lines whose
  // masking is over (bit n = IRQ n; the caller unmasks them at the 8259).
  std::uint16_t tick();

  [[nodiscard]] bool masked(unsigned irq) const { return (masked_ & bit(irq)) != 0; }
  [[nodiscard]] std::uint16_t masked_lines() const { return masked_; }
  // How long the line's last masking lasted (or lasts), in ms.
  [[nodiscard]] std::uint32_t last_mask_ms(unsigned irq) const;
  [[nodiscard]] std::uint32_t storms(unsigned irq) const { return storms_[irq]; }
  [[nodiscard]] std::uint64_t now() const { return now_; }

 private:
  static constexpr std::uint16_t bit(unsigned irq) { return static_cast<std::uint16_t>(1u << irq); }
  [[nodiscard]] std::uint32_t ms(std::uint32_t ticks) const;

  std::uint32_t counts_[lines]{};
  std::uint32_t budget_ = ~0u;  // nothing trips before configure()
  std::uint32_t window_ticks_ = 1;
  std::uint32_t window_left_ = 1;
  std::uint32_t first_mask_ticks_ = 1;
  std::uint32_t max_mask_ticks_ = 1;
  std::uint32_t quiet_ticks_ = 1;
  std::uint32_t tick_us_ = 1000;
  std::uint64_t now_ = 0;
  std::uint16_t masked_ = 0;    // masked by this guard (storm or unowned)
  std::uint16_t timed_ = 0;     // masked until `until_` (storms; unowned lines stay masked)
  std::uint16_t unmasked_ = 0;  // lines unmasked after a storm at least once
  std::uint64_t until_[lines]{};
  std::uint64_t unmasked_at_[lines]{};
  std::uint32_t mask_ticks_[lines]{};
  std::uint32_t repeat_[lines]{};
  std::uint32_t storms_[lines]{};
};

}  // namespace gandalf::core
