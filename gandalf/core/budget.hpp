// A partition's CPU budget (docs/budgets.md, issue #14 item 5): at most `budget` 8254 input
// ticks of CPU time in every period of `period` Gandalf timer ticks, as a deferrable server
// does it: the whole budget comes back at each period's start, so within it the partition
// keeps its fixed priority and preempts lower ones at once (an RTOS instance's interrupt
// latency is unchanged while it has budget left).
//
// Gandalf charges time precisely (the TSC at every switch, scaled to 8254 ticks at each timer
// tick) but can only act at a tick: a partition runs at most one tick past its budget, and
// that overrun is taken from its next period, so over n periods it gets at most n budgets
// plus one tick. Portable (no I/O), so the unit tests run exactly the logic Gandalf runs;
// vmm.cpp takes the partition off the CPU and reports.
#pragma once

#include <cstdint>

namespace gandalf::core {

class Budget {
 public:
  enum class Event : std::uint8_t {
    none,
    exhausted,    // used up in this period: throttle it (or restart, stop) until `replenished`
    replenished,  // a throttled partition's new period began: it may run again
  };

  // `budget` 8254 input ticks per `period` timer ticks; budget 0 = no budget (never an event).
  void configure(std::uint32_t budget, std::uint32_t period) {
    budget_ = budget;
    period_ = period;
    enabled_ = budget != 0 && period != 0;
    reset();
  }

  // A new life (boot, restart): the full budget and a period that starts now.
  void reset() {
    used_ = 0;
    left_ = period_;
    throttled_ = false;
  }

  [[nodiscard]] bool enabled() const { return enabled_; }  // (one load: every tick asks)

  // Once per timer tick: `ran` 8254 input ticks of CPU time since the last one.
  Event tick(std::uint32_t ran) {
    if (!enabled()) return Event::none;
    used_ += ran;
    bool replenished = false;
    if (--left_ == 0) {
      left_ = period_;
      used_ = used_ > budget_ ? used_ - budget_ : 0;  // an overrun is paid from the new budget
      replenished = throttled_;
      throttled_ = false;
    }
    if (!throttled_ && used_ >= budget_) {
      throttled_ = true;
      ++exhaustions_;
      // Replenished and at once exhausted again (an overrun of a whole budget): still off.
      return replenished ? Event::none : Event::exhausted;
    }
    return replenished ? Event::replenished : Event::none;
  }

  [[nodiscard]] bool throttled() const { return throttled_; }
  [[nodiscard]] std::uint64_t used() const { return used_; }        // in this period, overrun included
  [[nodiscard]] std::uint32_t budget() const { return budget_; }
  [[nodiscard]] std::uint32_t ticks_left() const { return left_; }  // in this period
  [[nodiscard]] std::uint64_t exhaustions() const { return exhaustions_; }  // periods it ran out in
  void clear_exhaustions() { exhaustions_ = 0; }

 private:
  std::uint64_t used_ = 0;
  std::uint64_t exhaustions_ = 0;
  std::uint32_t budget_ = 0;
  std::uint32_t period_ = 0;
  std::uint32_t left_ = 0;
  bool throttled_ = false;
  bool enabled_ = false;  // budget_ != 0 && period_ != 0
};

}  // namespace gandalf::core
