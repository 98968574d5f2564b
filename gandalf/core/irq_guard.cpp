// Interrupt-storm guard (see irq_guard.hpp).
#include "gandalf/core/irq_guard.hpp"

namespace gandalf::core {
namespace {

// Whole ticks covering `ms` (at least one), in 32-bit arithmetic (no 64-bit division in
// Gandalf's freestanding build).
std::uint32_t ticks_for(std::uint32_t ms, std::uint32_t tick_us) {
  const std::uint32_t ticks = (ms * 1000u + tick_us - 1) / tick_us;
  return ticks == 0 ? 1 : ticks;
}

}  // namespace

void IrqGuard::configure(const IrqStormLimits& limits, std::uint32_t tick_us) {
  tick_us_ = tick_us == 0 ? 1000 : tick_us;
  budget_ = limits.budget;
  window_ticks_ = window_left_ = ticks_for(limits.window_ms, tick_us_);
  first_mask_ticks_ = ticks_for(limits.first_mask_ms, tick_us_);
  max_mask_ticks_ = ticks_for(limits.max_mask_ms, tick_us_);
  if (max_mask_ticks_ < first_mask_ticks_) max_mask_ticks_ = first_mask_ticks_;
  quiet_ticks_ = ticks_for(limits.quiet_ms, tick_us_);
}

std::uint32_t IrqGuard::ms(std::uint32_t ticks) const { return ticks * tick_us_ / 1000u; }

IrqGuard::Storm IrqGuard::storm(unsigned irq) {
  Storm s{false, counts_[irq], ms(window_ticks_), budget_, 0, 0};
  if (masked(irq)) return s;  // an interrupt that was already on its way: said already
  // A line that storms again soon after it was let go is masked twice as long each time.
  const bool again = (unmasked_ & bit(irq)) != 0 && now_ - unmasked_at_[irq] < quiet_ticks_;
  repeat_[irq] = again ? repeat_[irq] + 1 : 0;
  std::uint32_t mask = first_mask_ticks_;
  for (std::uint32_t i = 0; i < repeat_[irq] && mask < max_mask_ticks_; ++i) mask *= 2;
  if (mask > max_mask_ticks_) mask = max_mask_ticks_;
  mask_ticks_[irq] = mask;
  until_[irq] = now_ + mask;
  masked_ |= bit(irq);
  timed_ |= bit(irq);
  ++storms_[irq];
  s.report = true;
  s.masked_ms = ms(mask);
  s.repeat = repeat_[irq];
  return s;
}

bool IrqGuard::unowned(unsigned irq) {
  if (masked(irq) && (timed_ & bit(irq)) == 0) return false;
  masked_ |= bit(irq);
  timed_ &= static_cast<std::uint16_t>(~bit(irq));
  return true;
}

std::uint16_t IrqGuard::tick() {
  ++now_;
  if (--window_left_ == 0) {
    window_left_ = window_ticks_;
    for (std::uint32_t& count : counts_) count = 0;
  }
  if (timed_ == 0) return 0;
  std::uint16_t due = 0;
  for (unsigned irq = 0; irq < lines; ++irq)
    if ((timed_ & bit(irq)) != 0 && now_ >= until_[irq]) due |= bit(irq);
  if (due == 0) return 0;
  timed_ &= static_cast<std::uint16_t>(~due);
  masked_ &= static_cast<std::uint16_t>(~due);
  unmasked_ |= due;
  for (unsigned irq = 0; irq < lines; ++irq)
    if ((due & bit(irq)) != 0) {
      unmasked_at_[irq] = now_;
      counts_[irq] = 0;  // a fresh budget after the pause
    }
  return due;
}

std::uint32_t IrqGuard::last_mask_ms(unsigned irq) const { return ms(mask_ticks_[irq]); }

}  // namespace gandalf::core
