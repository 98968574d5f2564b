// CPU budgets (gandalf/core/budget.hpp): the logic Gandalf's timer tick runs, tick by tick.
#include <gtest/gtest.h>

#include "gandalf/core/budget.hpp"

namespace {

using gandalf::core::Budget;
using Event = Budget::Event;

constexpr std::uint32_t tick = 1193;  // 8254 input ticks per 1 ms timer tick

TEST(Budget, NoBudgetNeverActs) {
  Budget b;
  b.configure(0, 0);
  EXPECT_FALSE(b.enabled());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(b.tick(tick), Event::none);
  EXPECT_FALSE(b.throttled());
  EXPECT_EQ(b.exhaustions(), 0u);
}

// 3 ms of 10: a partition that runs all the time is throttled at the third tick of each
// period and back at the period's start.
TEST(Budget, BusyPartitionThrottledThenReplenished) {
  Budget b;
  b.configure(3 * tick, 10);
  for (int period = 0; period < 5; ++period) {
    EXPECT_EQ(b.tick(tick), Event::none);
    EXPECT_EQ(b.tick(tick), Event::none);
    EXPECT_EQ(b.tick(tick), Event::exhausted) << "period " << period;
    EXPECT_TRUE(b.throttled());
    for (int i = 3; i < 9; ++i) EXPECT_EQ(b.tick(0), Event::none);  // throttled: it does not run
    EXPECT_EQ(b.tick(0), Event::replenished);
    EXPECT_FALSE(b.throttled());
  }
  EXPECT_EQ(b.exhaustions(), 5u);
}

TEST(Budget, LightPartitionNeverThrottled) {
  Budget b;
  b.configure(3 * tick, 10);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(b.tick(tick / 4), Event::none);  // 25 %
  EXPECT_EQ(b.exhaustions(), 0u);
}

// What it ran past its budget before the tick that caught it comes out of the next period.
TEST(Budget, OverrunIsPaidFromTheNextPeriod) {
  Budget b;
  b.configure(2 * tick, 4);
  EXPECT_EQ(b.tick(tick), Event::none);
  EXPECT_EQ(b.tick(tick + 500), Event::exhausted);  // 500 over
  EXPECT_EQ(b.tick(0), Event::none);
  EXPECT_EQ(b.tick(0), Event::replenished);
  EXPECT_EQ(b.used(), 500u);
  EXPECT_EQ(b.tick(tick), Event::none);  // 500 + 1193 < 2386
  EXPECT_EQ(b.tick(tick), Event::exhausted);  // one tick earlier in effect
}

// An overrun of whole budgets (a long tick) keeps it off for as many periods, each counted.
TEST(Budget, OverrunOfWholeBudgetsSkipsPeriods) {
  Budget b;
  b.configure(tick, 3);
  EXPECT_EQ(b.tick(3 * tick), Event::exhausted);  // two budgets over
  EXPECT_EQ(b.tick(0), Event::none);
  EXPECT_EQ(b.tick(0), Event::none);  // period 0 ends; two budgets of debt: one paid, still off
  EXPECT_TRUE(b.throttled());
  EXPECT_EQ(b.exhaustions(), 2u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(b.tick(0), Event::none);  // period 1: the other paid at its end
  EXPECT_TRUE(b.throttled());
  EXPECT_EQ(b.exhaustions(), 3u);
  EXPECT_EQ(b.tick(0), Event::none);
  EXPECT_EQ(b.tick(0), Event::none);
  EXPECT_EQ(b.tick(0), Event::replenished);  // period 2 ends: back, with its full budget
  EXPECT_EQ(b.used(), 0u);
}

// Over many periods a busy partition gets n budgets plus at most one tick.
TEST(Budget, LongRunShareIsTheBudget) {
  Budget b;
  b.configure(3 * tick + 100, 10);
  std::uint64_t ran = 0;
  for (int i = 0; i < 10'000; ++i) {
    const std::uint32_t slice = b.throttled() ? 0 : tick;
    ran += slice;
    b.tick(slice);
  }
  const std::uint64_t periods = 1000;
  EXPECT_LE(ran, periods * (3 * tick + 100) + tick);
  EXPECT_GE(ran, periods * (3 * tick + 100) - tick);
}

TEST(Budget, ResetStartsAFullPeriod) {
  Budget b;
  b.configure(2 * tick, 5);
  b.tick(tick);
  b.tick(tick);
  EXPECT_TRUE(b.throttled());
  b.reset();
  EXPECT_FALSE(b.throttled());
  EXPECT_EQ(b.used(), 0u);
  EXPECT_EQ(b.ticks_left(), 5u);
  EXPECT_EQ(b.exhaustions(), 1u);  // the count is the monitor's: kept across lives
}

}  // namespace
