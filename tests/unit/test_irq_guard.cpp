// The interrupt-storm guard (gandalf/core/irq_guard): budget per window, masking with
// back-off, unmasking, lines without an owner (issue #10 item 3).
#include <gtest/gtest.h>

#include "gandalf/core/irq_guard.hpp"

namespace gandalf::core {
namespace {

// Small numbers so that the tests can walk through whole windows and maskings.
constexpr IrqStormLimits kLimits{
    .window_ms = 10, .budget = 50, .first_mask_ms = 100, .max_mask_ms = 400, .quiet_ms = 1000};

IrqGuard configured(std::uint32_t tick_us = 1000, const IrqStormLimits& limits = kLimits) {
  IrqGuard guard;
  guard.configure(limits, tick_us);
  return guard;
}

// Raises `n` interrupts on `irq`; the number of the first one over budget (0 = none).
unsigned raise(IrqGuard& guard, unsigned irq, unsigned n) {
  for (unsigned i = 1; i <= n; ++i)
    if (guard.count(irq)) return i;
  return 0;
}

// Ticks until a line is due for unmasking; returns the ticks taken (0 = none within `limit`).
unsigned ticks_until_unmask(IrqGuard& guard, unsigned irq, unsigned limit = 100000) {
  for (unsigned t = 1; t <= limit; ++t)
    if (guard.tick() & (1u << irq)) return t;
  return 0;
}

TEST(IrqGuard, NothingTripsBeforeConfigure) {
  IrqGuard guard;
  EXPECT_EQ(raise(guard, 3, 100000), 0u);
}

TEST(IrqGuard, BudgetPerWindow) {
  IrqGuard guard = configured();
  EXPECT_EQ(raise(guard, 3, 50), 0u);  // exactly the budget: fine
  EXPECT_EQ(raise(guard, 3, 1), 1u);   // the 51st in the window trips
  EXPECT_EQ(raise(guard, 4, 50), 0u);  // lines are counted apart
}

TEST(IrqGuard, ANewWindowStartsFromZero) {
  IrqGuard guard = configured();
  for (int window = 0; window < 20; ++window) {
    EXPECT_EQ(raise(guard, 5, 50), 0u) << window;
    for (int t = 0; t < 10; ++t) EXPECT_EQ(guard.tick(), 0u);
  }
}

TEST(IrqGuard, StormMasksAndReports) {
  IrqGuard guard = configured();
  ASSERT_EQ(raise(guard, 3, 60), 51u);
  const IrqGuard::Storm s = guard.storm(3);
  EXPECT_TRUE(s.report);
  EXPECT_EQ(s.count, 51u);
  EXPECT_EQ(s.budget, 50u);
  EXPECT_EQ(s.window_ms, 10u);
  EXPECT_EQ(s.masked_ms, 100u);
  EXPECT_EQ(s.repeat, 0u);
  EXPECT_TRUE(guard.masked(3));
  EXPECT_EQ(guard.masked_lines(), 1u << 3);
  EXPECT_EQ(guard.storms(3), 1u);
  // Interrupts already on their way while the line is masked are not reported again.
  EXPECT_TRUE(guard.count(3));
  EXPECT_FALSE(guard.storm(3).report);
  EXPECT_EQ(guard.storms(3), 1u);
}

TEST(IrqGuard, UnmaskedAfterTheMaskTimeWithAFreshBudget) {
  IrqGuard guard = configured();
  raise(guard, 3, 51);
  guard.storm(3);
  EXPECT_EQ(ticks_until_unmask(guard, 3), 100u);
  EXPECT_FALSE(guard.masked(3));
  EXPECT_EQ(guard.last_mask_ms(3), 100u);
  EXPECT_EQ(raise(guard, 3, 50), 0u);  // counting starts afresh at the unmasking
}

TEST(IrqGuard, RepeatedStormsBackOffUpToTheLimit) {
  IrqGuard guard = configured();
  const std::uint32_t want[] = {100, 200, 400, 400};
  for (std::uint32_t i = 0; i < 4; ++i) {
    ASSERT_EQ(raise(guard, 3, 51), 51u);
    const IrqGuard::Storm s = guard.storm(3);
    EXPECT_EQ(s.masked_ms, want[i]) << i;
    EXPECT_EQ(s.repeat, i);
    EXPECT_EQ(ticks_until_unmask(guard, 3), want[i]);
  }
}

TEST(IrqGuard, AQuietLineStartsAfresh) {
  IrqGuard guard = configured();
  raise(guard, 3, 51);
  guard.storm(3);
  ticks_until_unmask(guard, 3);
  for (int t = 0; t < 1000; ++t) guard.tick();  // quiet_ms
  raise(guard, 3, 51);
  const IrqGuard::Storm s = guard.storm(3);
  EXPECT_EQ(s.masked_ms, 100u);
  EXPECT_EQ(s.repeat, 0u);
}

TEST(IrqGuard, OtherLinesAreNotTouched) {
  IrqGuard guard = configured();
  raise(guard, 3, 51);
  guard.storm(3);
  for (int t = 0; t < 99; ++t) {
    EXPECT_EQ(guard.tick(), 0u);
    EXPECT_EQ(raise(guard, 9, 4), 0u);  // 40 per 10 ms: under budget
  }
  EXPECT_EQ(guard.tick(), 1u << 3);
  EXPECT_FALSE(guard.masked(9));
}

TEST(IrqGuard, UnownedLineIsMaskedForGood) {
  IrqGuard guard = configured();
  EXPECT_TRUE(guard.unowned(6));   // report once
  EXPECT_FALSE(guard.unowned(6));  // and not again
  EXPECT_TRUE(guard.masked(6));
  for (int t = 0; t < 100000; ++t) EXPECT_EQ(guard.tick() & (1u << 6), 0u);
  EXPECT_TRUE(guard.masked(6));
}

TEST(IrqGuard, TicksOfOtherLengths) {
  // 250 µs ticks: a 10 ms window is 40 ticks, 100 ms of masking 400 ticks.
  IrqGuard guard = configured(250);
  raise(guard, 3, 50);
  for (int t = 0; t < 39; ++t) guard.tick();
  EXPECT_EQ(raise(guard, 3, 1), 1u);  // still the same window
  const IrqGuard::Storm s = guard.storm(3);
  EXPECT_EQ(s.window_ms, 10u);
  EXPECT_EQ(s.masked_ms, 100u);
  EXPECT_EQ(ticks_until_unmask(guard, 3), 400u);
  // 20 ms ticks: every duration is at least one tick, rounded up.
  IrqGuard coarse = configured(20000);
  raise(coarse, 3, 51);
  EXPECT_EQ(coarse.storm(3).masked_ms, 100u);
  EXPECT_EQ(ticks_until_unmask(coarse, 3), 5u);
}

TEST(IrqGuard, DefaultLimitsAreDocumented) {
  // docs/architecture.md: more than 500 interrupts on a line within 10 ms masks it for
  // 100 ms, doubling up to 6.4 s while the storm goes on.
  EXPECT_EQ(default_irq_storm_limits.window_ms, 10u);
  EXPECT_EQ(default_irq_storm_limits.budget, 500u);
  EXPECT_EQ(default_irq_storm_limits.first_mask_ms, 100u);
  EXPECT_EQ(default_irq_storm_limits.max_mask_ms, 6400u);
  EXPECT_EQ(default_irq_storm_limits.quiet_ms, 1000u);
}

}  // namespace
}  // namespace gandalf::core
