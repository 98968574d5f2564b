// Unit tests of how Gandalf reads the time within a tick from the real 8254 counter 0 in
// mode 3 (gandalf/platform/pc/pit_8254.hpp), against Gandalf's own datasheet model of the
// 8254 (the virtual PIT, tested in test_vpit.cpp) as the oracle.
#include <gtest/gtest.h>

#include <cstdint>

#include "gandalf/core/vpit_8254.hpp"
#include "gandalf/platform/pc/pit_8254.hpp"

namespace {

using gandalf::vdev::VirtualPit;
namespace pit = gandalf::pc::pit;

constexpr std::uint16_t counter0 = 0x40;
constexpr std::uint16_t control = 0x43;

struct Latched {
  std::uint8_t status;
  std::uint16_t count;
};

Latched read_back(VirtualPit& v, std::uint64_t now) {
  v.write(control, pit::read_back_counter0, now);
  const std::uint8_t status = v.read(counter0, now);
  const std::uint8_t lo = v.read(counter0, now);
  const std::uint8_t hi = v.read(counter0, now);
  return {status, static_cast<std::uint16_t>(lo | hi << 8)};
}

// Over three periods after the first rising edge of OUT, the elapsed time computed from the
// latched status and count is the number of clocks since the last rising edge, within one
// clock (the datasheet's odd-count detail), and never runs backwards inside a period.
void check_reload(std::uint16_t reload) {
  VirtualPit v;
  v.write(control, pit::select_counter0 | pit::access_lohi | pit::mode_square_wave, 0);
  v.write(counter0, static_cast<std::uint8_t>(reload), 0);
  v.write(counter0, static_cast<std::uint8_t>(reload >> 8), 0);
  const std::uint32_t n = reload == 0 ? 0x10000u : reload;
  bool was_high = false;
  std::uint64_t last_rise = 0;
  bool seen_rise = false;
  std::uint32_t previous = 0;
  for (std::uint64_t t = 1; t < 4ull * n; ++t) {
    const Latched l = read_back(v, t);
    const bool high = (l.status & pit::status_out) != 0;
    if (high && !was_high) {
      last_rise = t;
      seen_rise = true;
      previous = 0;
    }
    was_high = high;
    if (!seen_rise) continue;
    const std::uint32_t e = pit::elapsed_in_period(l.status, l.count, reload);
    const std::uint64_t truth = t - last_rise;
    ASSERT_LE(e, n - 1) << "reload " << reload << " t " << t;
    ASSERT_LE(e > truth ? e - truth : truth - e, 1u) << "reload " << reload << " t " << t;
    ASSERT_GE(e, previous) << "reload " << reload << " t " << t;
    previous = e;
  }
  EXPECT_TRUE(seen_rise);
}

TEST(RealPit, ElapsedFollowsTheDatasheetForTheMillisecondTick) { check_reload(1193); }
TEST(RealPit, ElapsedFollowsTheDatasheetForEvenReloads) { check_reload(1000); }
TEST(RealPit, ElapsedFollowsTheDatasheetForSmallReloads) {
  for (std::uint16_t r = 3; r < 40; ++r) check_reload(r);
}

TEST(RealPit, ElapsedStaysInsideThePeriodWhateverTheChipSays) {
  for (unsigned status : {0x00u, 0x80u})
    for (std::uint32_t count = 0; count <= 0xffff; ++count) {
      EXPECT_LT(pit::elapsed_in_period(static_cast<std::uint8_t>(status), static_cast<std::uint16_t>(count), 1193), 1193u);
      ASSERT_LT(pit::elapsed_in_period(static_cast<std::uint8_t>(status), static_cast<std::uint16_t>(count), 0), 0x10000u);
    }
}

static_assert(pit::elapsed_in_period(pit::status_out, 1193, 1193) == 0);
static_assert(pit::elapsed_in_period(0, 1193, 1193) == 597);

}  // namespace
