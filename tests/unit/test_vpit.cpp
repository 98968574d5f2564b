// Unit tests of the virtual 8254 against the behaviour the 8254 datasheet specifies.
#include <gtest/gtest.h>

#include <cstdint>

#include "gandalf/core/vpit_8254.hpp"

namespace {

using gandalf::vdev::VirtualPit;

constexpr std::uint16_t counter0 = 0x40;
constexpr std::uint16_t counter2 = 0x42;
constexpr std::uint16_t control = 0x43;
constexpr std::uint64_t never = VirtualPit::never;

// Control words: SC = counter 0, RW = LSB then MSB, binary.
constexpr std::uint8_t mode0 = 0x30;
constexpr std::uint8_t mode1 = 0x32;
constexpr std::uint8_t mode2 = 0x34;
constexpr std::uint8_t mode3 = 0x36;
constexpr std::uint8_t mode4 = 0x38;
constexpr std::uint8_t mode5 = 0x3a;
constexpr std::uint8_t latch0 = 0x00;             // Counter Latch Command, counter 0
constexpr std::uint8_t read_back_both0 = 0xc2;    // COUNT# = STATUS# = 0, CNT0
constexpr std::uint8_t read_back_status0 = 0xe2;  // STATUS# = 0, CNT0

constexpr std::uint32_t tick_count = 1193;  // 1 ms: the μITRON tick

void write_count(VirtualPit& pit, std::uint16_t count, std::uint64_t now) {
  pit.write(counter0, static_cast<std::uint8_t>(count), now);
  pit.write(counter0, static_cast<std::uint8_t>(count >> 8), now);
}

void program(VirtualPit& pit, std::uint8_t control_word, std::uint16_t count, std::uint64_t now) {
  pit.write(control, control_word, now);
  write_count(pit, count, now);
}

std::uint16_t read_count(VirtualPit& pit, std::uint64_t now) {
  const std::uint8_t lsb = pit.read(counter0, now);
  return static_cast<std::uint16_t>(lsb | pit.read(counter0, now) << 8);
}

std::uint8_t read_status(VirtualPit& pit, std::uint64_t now) {
  pit.write(control, read_back_status0, now);
  return pit.read(counter0, now);
}

// Gandalf keeps one per partition in static storage: constant-initialised, no constructor run.
constinit VirtualPit static_pit;

TEST(VirtualPit, StaticInstanceStartsInTheResetState) {
  EXPECT_EQ(static_pit.next_deadline(), never);
  EXPECT_EQ(static_pit.read(counter0, 0), 0x00);
}

TEST(VirtualPit, ResetHasNoTimerAndNoInterrupts) {
  VirtualPit pit;
  EXPECT_EQ(pit.next_deadline(), never);
  EXPECT_EQ(pit.advance(1'000'000'000), 0u);
  EXPECT_EQ(pit.next_deadline(), never);
  EXPECT_EQ(read_status(pit, 5), 0x70);  // OUT low, NULL COUNT, RW = LSB/MSB, mode 0
  pit.reset();
  EXPECT_EQ(pit.advance(2'000'000'000), 0u);
}

// The count is loaded by the CLK pulse after the write, and mode 2 reloads (OUT rising) every N.
TEST(VirtualPit, Mode2Count1193GivesOneEdgePer1193TicksOver10000Periods) {
  VirtualPit pit;
  const std::uint64_t written = 5000;
  program(pit, mode2, tick_count, written);
  std::uint64_t previous = written + 1;  // the load
  for (int period = 0; period < 10'000; ++period) {
    const std::uint64_t deadline = pit.next_deadline();
    ASSERT_EQ(deadline - previous, tick_count) << period;
    ASSERT_EQ(pit.advance(deadline - 1), 0u) << period;
    ASSERT_EQ(pit.advance(deadline), 1u) << period;
    previous = deadline;
  }
}

TEST(VirtualPit, Mode2EdgeCountIsExactUnderIrregularAdvances) {
  VirtualPit pit;
  program(pit, mode2, tick_count, 0);
  const std::uint64_t first = 1 + tick_count;
  std::uint64_t total = 0;
  std::uint64_t now = 0;
  for (std::uint64_t step = 1; now < 10'000ull * tick_count; step = step % 211 + 37) {
    now += step;
    total += pit.advance(now);
  }
  EXPECT_EQ(total, (now - first) / tick_count + 1);
}

TEST(VirtualPit, AdvanceOverALongGapReturnsThePeriods) {
  VirtualPit pit;
  program(pit, mode2, tick_count, 0);
  const std::uint64_t first = 1 + tick_count;
  EXPECT_EQ(pit.advance(first + 999ull * tick_count), 1000u);
  const std::uint64_t hour = 3600ull * gandalf::vdev::i8254::input_hz;
  const std::uint64_t later = first + hour;
  EXPECT_EQ(pit.advance(later), (later - first) / tick_count + 1 - 1000);
  EXPECT_EQ(pit.next_deadline(), first + ((later - first) / tick_count + 1) * tick_count);
}

TEST(VirtualPit, Mode0IsOneShotNPlusOnePulsesAfterTheWrite) {
  VirtualPit pit;
  program(pit, mode0, 1000, 100);
  EXPECT_EQ(pit.next_deadline(), 1101u);
  EXPECT_FALSE(pit.output(0, 1100));
  EXPECT_EQ(pit.advance(1100), 0u);
  EXPECT_EQ(pit.advance(1101), 1u);
  EXPECT_TRUE(pit.output(0, 1101));
  EXPECT_EQ(pit.next_deadline(), never);
  EXPECT_EQ(pit.advance(100'000'000), 0u);
  EXPECT_EQ(read_count(pit, 1101), 0);
  EXPECT_EQ(read_count(pit, 1102), 0xffff);  // keeps counting after terminal count
}

TEST(VirtualPit, Mode0NewCountRestartsTheOneShot) {
  VirtualPit pit;
  program(pit, mode0, 1000, 100);
  write_count(pit, 50, 600);  // no control word: loaded on the next pulse, OUT stays low
  EXPECT_EQ(pit.next_deadline(), 651u);
  EXPECT_EQ(pit.advance(10'000), 1u);
}

TEST(VirtualPit, Mode0FirstByteDisablesCounting) {
  VirtualPit pit;
  program(pit, mode0, 1000, 100);
  pit.write(counter0, 0x10, 500);
  EXPECT_EQ(pit.next_deadline(), never);
  EXPECT_FALSE(pit.output(0, 2000));
  EXPECT_EQ(read_count(pit, 2000), 1000 - (500 - 101));  // frozen where it stopped
  pit.write(counter0, 0x00, 600);                        // count 0x0010
  EXPECT_EQ(pit.next_deadline(), 617u);
  EXPECT_EQ(pit.advance(700), 1u);
}

TEST(VirtualPit, Mode4StrobeRaisesIrq0AtTheEndOfThePulse) {
  VirtualPit pit;
  program(pit, mode4, 1000, 100);
  EXPECT_TRUE(pit.output(0, 1100));
  EXPECT_FALSE(pit.output(0, 1101));  // low for the one pulse at CE = 0
  EXPECT_TRUE(pit.output(0, 1102));
  EXPECT_EQ(pit.next_deadline(), 1102u);
  EXPECT_EQ(pit.advance(1101), 0u);
  EXPECT_EQ(pit.advance(1102), 1u);
  EXPECT_EQ(pit.next_deadline(), never);
}

TEST(VirtualPit, LinuxShutdownThenPeriodic) {
  VirtualPit pit;
  program(pit, mode0, 0, 1000);  // pit_shutdown: mode 0, count 0 (65536)
  EXPECT_EQ(pit.next_deadline(), 1000u + 1 + 65536);
  program(pit, mode2, 11932, 2000);  // periodic at HZ = 100
  EXPECT_EQ(pit.next_deadline(), 2000u + 1 + 11932);
  EXPECT_EQ(pit.advance(2000 + 1 + 10 * 11932), 10u);
}

TEST(VirtualPit, LsbMsbFlipFlopsForWritesAndReads) {
  VirtualPit pit;
  pit.write(control, mode2, 0);
  pit.write(counter0, 0x34, 0);
  EXPECT_EQ(pit.next_deadline(), never);  // half a count: not started
  pit.write(counter0, 0x12, 0);
  EXPECT_EQ(pit.next_deadline(), 1u + 0x1234);
  // Datasheet: read LSB, write LSB, read MSB, write MSB is a valid sequence.
  pit.write(control, latch0, 1);
  EXPECT_EQ(pit.read(counter0, 1), 0x34);
  pit.write(counter0, 0x00, 1);
  EXPECT_EQ(pit.read(counter0, 1), 0x12);
  pit.write(counter0, 0x10, 1);
  const std::uint64_t first = 1u + 0x1234;
  EXPECT_EQ(pit.advance(first), 1u);
  EXPECT_EQ(pit.next_deadline(), first + 0x1000);  // mode 2: the new count from the next period
}

TEST(VirtualPit, LsbOnlyAndMsbOnlyAccess) {
  VirtualPit pit;
  pit.write(control, 0x14, 0);  // LSB only, mode 2
  pit.write(counter0, 100, 0);
  EXPECT_EQ(pit.next_deadline(), 101u);
  EXPECT_EQ(pit.read(counter0, 11), 90);
  EXPECT_EQ(pit.read(counter0, 21), 80);  // one byte per read, no flip-flop
  pit.write(control, 0x24, 200);          // MSB only, mode 2
  pit.write(counter0, 2, 200);
  EXPECT_EQ(pit.advance(200), 1u);  // the edge at 101 of the first programming
  EXPECT_EQ(pit.next_deadline(), 201u + 512);
  EXPECT_EQ(pit.read(counter0, 201), 2);
  EXPECT_EQ(pit.read(counter0, 201 + 256), 1);
}

TEST(VirtualPit, LatchCommandFreezesTheReadValue) {
  VirtualPit pit;
  program(pit, mode2, tick_count, 0);
  pit.write(control, latch0, 300);
  pit.write(control, latch0, 500);  // ignored: the first latch has not been read yet
  EXPECT_EQ(read_count(pit, 800), tick_count - 299);
  EXPECT_EQ(read_count(pit, 900), tick_count - 899);  // released: live again
}

TEST(VirtualPit, LiveCountDecreasesWithTime) {
  VirtualPit pit;
  program(pit, mode2, tick_count, 0);
  EXPECT_EQ(read_count(pit, 1), tick_count);
  std::uint16_t previous = tick_count;
  for (std::uint64_t now = 2; now < 1 + tick_count; now += 7) {
    const std::uint16_t count = read_count(pit, now);
    ASSERT_LT(count, previous) << now;
    ASSERT_EQ(count, tick_count - (now - 1)) << now;
    previous = count;
  }
  EXPECT_EQ(read_count(pit, tick_count), 1);  // OUT low for this pulse
  EXPECT_FALSE(pit.output(0, tick_count));
  EXPECT_EQ(read_count(pit, 1 + tick_count), tick_count);  // reloaded
}

TEST(VirtualPit, CountZeroMeans65536) {
  VirtualPit pit;
  program(pit, mode2, 0, 0);
  EXPECT_EQ(pit.next_deadline(), 1u + 65536);
  EXPECT_EQ(read_count(pit, 1), 0);
  EXPECT_EQ(read_count(pit, 2), 0xffff);
  EXPECT_EQ(pit.advance(1 + 3 * 65536), 3u);
  EXPECT_EQ(pit.next_deadline(), 1u + 4 * 65536);
}

TEST(VirtualPit, ReadBackStatusReportsOutputNullCountAndProgramming) {
  VirtualPit pit;
  pit.write(control, mode2, 0);
  EXPECT_EQ(read_status(pit, 0), 0xf4);  // OUT high, NULL COUNT, 11 010 0
  write_count(pit, 100, 10);
  EXPECT_EQ(read_status(pit, 10), 0xf4);  // not loaded before the next pulse
  EXPECT_EQ(read_status(pit, 11), 0xb4);
  EXPECT_EQ(read_status(pit, 110), 0x34);  // CE = 1: OUT low
  pit.write(control, mode0, 200);
  EXPECT_EQ(read_status(pit, 200), 0x70);
  write_count(pit, 10, 200);
  EXPECT_EQ(read_status(pit, 201), 0x30);
  EXPECT_EQ(read_status(pit, 211), 0xb0);  // terminal count
}

TEST(VirtualPit, ReadBackOfStatusAndCountReturnsStatusFirst) {
  VirtualPit pit;
  program(pit, mode2, tick_count, 0);
  pit.write(control, read_back_both0, 101);
  EXPECT_EQ(pit.read(counter0, 500), 0xb4);
  EXPECT_EQ(read_count(pit, 600), tick_count - 100);
}

TEST(VirtualPit, ReadBackLatchesEverySelectedCounter) {
  VirtualPit pit;
  program(pit, mode2, 1000, 0);
  pit.write(control, 0xb0, 0);  // counter 2, LSB/MSB, mode 0
  pit.write(counter2, 0x00, 0);
  pit.write(counter2, 0x02, 0);
  pit.write(control, 0xda, 51);  // COUNT# = 0 for counters 0 and 2
  EXPECT_EQ(read_count(pit, 400), 950);
  EXPECT_EQ(pit.read(counter2, 400), 0xce);  // 512 - 50
  EXPECT_EQ(pit.read(counter2, 400), 0x01);
}

TEST(VirtualPit, Mode2NewCountTakesEffectAfterThePresentPeriod) {
  VirtualPit pit;
  program(pit, mode2, 1000, 0);
  write_count(pit, 500, 251);
  EXPECT_TRUE(read_status(pit, 300) & 0x40);  // NULL COUNT until the reload
  EXPECT_EQ(pit.next_deadline(), 1001u);
  EXPECT_EQ(pit.advance(1001), 1u);
  EXPECT_FALSE(read_status(pit, 1001) & 0x40);
  EXPECT_EQ(pit.next_deadline(), 1501u);
  EXPECT_EQ(pit.advance(3001), 4u);
  EXPECT_EQ(read_count(pit, 3002), 499);
}

TEST(VirtualPit, ReprogrammingKeepsTheEdgesOfTheOldProgramming) {
  VirtualPit pit;
  program(pit, mode2, 100, 0);            // edges at 101, 201, ...
  program(pit, mode0, 50, 1000);          // edges up to 1000 were due: 101..901
  EXPECT_EQ(pit.next_deadline(), 1000u);  // already due
  EXPECT_EQ(pit.advance(1000), 9u);
  EXPECT_EQ(pit.next_deadline(), 1051u);
  EXPECT_EQ(pit.advance(5000), 1u);
}

TEST(VirtualPit, Mode3SquareWave) {
  VirtualPit pit;
  program(pit, mode3, tick_count, 0);  // odd: high for 597 pulses, low for 596
  EXPECT_TRUE(pit.output(0, 1));
  EXPECT_TRUE(pit.output(0, 597));
  EXPECT_FALSE(pit.output(0, 598));
  EXPECT_FALSE(pit.output(0, 1193));
  EXPECT_TRUE(pit.output(0, 1194));
  EXPECT_EQ(read_count(pit, 1), tick_count);
  EXPECT_EQ(read_count(pit, 2), tick_count - 1);
  EXPECT_EQ(read_count(pit, 3), tick_count - 3);
  EXPECT_EQ(read_count(pit, 598), tick_count);  // reloaded for the low half
  EXPECT_EQ(read_count(pit, 599), tick_count - 3);
  EXPECT_EQ(pit.next_deadline(), 1194u);  // OUT rising: a full count after the load
  EXPECT_EQ(pit.advance(1 + 100 * tick_count), 100u);
  program(pit, mode3, 1000, 200'000);  // even: N, N-2, ... twice per period
  EXPECT_EQ(pit.advance(200'000), (200'000u - 1) / tick_count - 100);
  EXPECT_EQ(read_count(pit, 200'002), 998);
  EXPECT_EQ(read_count(pit, 200'501), 1000);
  EXPECT_FALSE(pit.output(0, 200'501));
  EXPECT_EQ(pit.next_deadline(), 201'001u);
}

TEST(VirtualPit, Modes1And5NeverTriggerWithGateHigh) {
  VirtualPit pit;
  for (std::uint8_t control_word : {mode1, mode5}) {
    program(pit, control_word, 100, 0);
    EXPECT_EQ(pit.next_deadline(), never);
    EXPECT_EQ(pit.advance(1'000'000), 0u);
    EXPECT_TRUE(pit.output(0, 1'000'000));
    EXPECT_TRUE(read_status(pit, 1'000'000) & 0x40);  // the count never reaches CE
  }
}

TEST(VirtualPit, Modes6And7AreModes2And3) {
  VirtualPit pit;
  program(pit, 0x3c, 100, 0);
  EXPECT_EQ(pit.advance(1 + 10 * 100), 10u);
  EXPECT_EQ(read_status(pit, 1001), 0xbc);  // the status shows M as written
  pit.reset();
  program(pit, 0x3e, 100, 2000);
  EXPECT_FALSE(pit.output(0, 2001 + 50));
  EXPECT_EQ(pit.advance(2001 + 10 * 100), 10u);
}

TEST(VirtualPit, BcdBitIsKeptButCountingIsBinary) {
  VirtualPit pit;
  program(pit, 0x35, 0x1193, 0);
  EXPECT_EQ(pit.next_deadline(), 1u + 0x1193);
  EXPECT_EQ(read_status(pit, 1) & 0x01, 0x01);
}

TEST(VirtualPit, Counter2CountsWithoutRaisingIrq0) {
  VirtualPit pit;
  pit.write(control, 0xb0, 0);
  pit.write(counter2, 100, 0);
  pit.write(counter2, 0, 0);
  EXPECT_FALSE(pit.output(2, 100));
  EXPECT_TRUE(pit.output(2, 101));
  EXPECT_EQ(pit.advance(1000), 0u);
  EXPECT_EQ(pit.next_deadline(), never);
  EXPECT_FALSE(pit.output(3, 1000));
}

TEST(VirtualPit, OtherPortsFloat) {
  VirtualPit pit;
  EXPECT_EQ(pit.read(control, 0), 0xff);  // the control word cannot be read
  EXPECT_EQ(pit.read(0x44, 0), 0xff);
  EXPECT_EQ(pit.read(0x3f, 0), 0xff);
  pit.write(0x44, 0x34, 0);
  pit.write(0x61, 0x03, 0);
  EXPECT_EQ(pit.next_deadline(), never);
}

TEST(VirtualPit, TimeGoingBackwardsReportsNothing) {
  VirtualPit pit;
  program(pit, mode2, 100, 0);
  EXPECT_EQ(pit.advance(1001), 10u);
  EXPECT_EQ(pit.advance(500), 0u);
  EXPECT_EQ(pit.advance(1101), 1u);
}

// advance()'s one-edge path moves only the next edge; a port write that came with an older time
// (no caller does this: the header asks for a time that never goes backwards) must not make
// the edges already reported count again.
TEST(VirtualPit, AWriteWithAnOlderTimeNeverCountsAnEdgeTwice) {
  VirtualPit pit;
  program(pit, mode2, 100, 0);
  EXPECT_EQ(pit.advance(1001), 10u);  // edges 101 ... 1001
  EXPECT_EQ(pit.advance(1101), 1u);   // the one-edge path: edge 1101
  pit.write(counter0, 100, 1050);     // LSB of a new count, with a time before 1101
  EXPECT_EQ(pit.advance(1200), 0u);
  EXPECT_EQ(pit.advance(1201), 1u);
  pit.write(control, mode2, 1150);    // a control word, likewise
  write_count(pit, 100, 1150);
  EXPECT_EQ(pit.advance(1201), 0u);
  EXPECT_GT(pit.next_deadline(), 1201u);
}

// advance() books a tick's edge without a division (a kept next edge and period); against the
// 8254 arithmetic itself (edges_through on a counter programmed alike), over random guests that
// reprogram counter 0 in every mode, write counts byte by byte, latch, read back, and advance
// by steps from one tick to several periods.
TEST(VirtualPit, AdvanceCountsTheEdgesTheDatasheetArithmeticCounts) {
  std::uint64_t rng = 0x9e3779b97f4a7c15ull;
  auto next = [&rng](std::uint64_t bound) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return rng % bound;
  };
  constexpr std::uint8_t modes[] = {mode0, mode1, mode2, mode3, mode4, mode5};
  for (int run = 0; run < 2000; ++run) {
    VirtualPit pit;
    gandalf::vdev::i8254::Counter ref;
    std::uint64_t now = next(1000), last = now, owed_ref = 0, got = 0;
    for (int step = 0; step < 200; ++step) {
      switch (next(8)) {
        case 0: {  // reprogram counter 0
          const std::uint8_t m = modes[next(6)];
          owed_ref += ref.edges_through(now) - ref.edges_through(last);
          last = now;
          pit.write(control, m, now);
          ref.program(m, now);
          break;
        }
        case 1: {  // a count byte
          const auto b = static_cast<std::uint8_t>(next(4) == 0 ? next(256) : next(8) + 2);
          owed_ref += ref.edges_through(now) - ref.edges_through(last);
          last = now;
          pit.write(counter0, b, now);
          ref.write(b, now);
          break;
        }
        case 2: pit.write(control, latch0, now); ref.latch_count(now); (void)pit.read(counter0, now); (void)ref.read(now); break;
        case 3: pit.write(control, read_back_both0, now); break;
        default: {
          const std::uint64_t edge = ref.next_edge_after(now);
          if (next(3) == 0 && edge != never)  // exactly onto the next edge, or the one after it
            now = edge + (next(2) == 0 ? ref.edge_period() : 0);
          else
            now += next(4) == 0 ? next(3 * 1193) : next(600) + 1;
          got += pit.advance(now);
          owed_ref += ref.edges_through(now) - ref.edges_through(last);
          last = now;
          ASSERT_EQ(got, owed_ref) << "run " << run << " step " << step << " now " << now;
        }
      }
    }
  }
}

}  // namespace
