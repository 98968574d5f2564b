// Unit tests of Gandalf's log (gandalf/core/console_log): formatting, whole messages, the room
// reserved for reports, the per-source rate limit and the "N messages suppressed" lines.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "gandalf/core/console_log.hpp"

namespace {

using gandalf::console::Class;
using gandalf::console::format;
using gandalf::console::gandalf_source;
using gandalf::console::Limiter;
using gandalf::console::Log;
using gandalf::console::max_sources;
using gandalf::console::RateLimit;
using gandalf::console::Ring;

// Every caller passes a literal; the template hides that from clang's format check.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
std::string fmt_string(std::size_t size, const char* f, auto... args) {
  std::string buf(size, '#');
  const std::size_t n = format(buf.data(), size, f, args...);
  EXPECT_EQ(buf[n], '\0');
  return buf.substr(0, n);
}
#pragma GCC diagnostic pop

std::string take_all(Ring& r) {
  std::string s;
  while (!r.empty()) s += r.pop();
  return s;
}

std::string take(Ring& r, std::size_t n) {
  std::string s;
  while (!r.empty() && n-- > 0) s += r.pop();
  return s;
}

bool put(Ring& r, const std::string& s, Class c) { return r.put(s.data(), s.size(), c); }
bool report(Log& l, const std::string& s) { return l.report(s.data(), s.size()); }
bool chatter(Log& l, unsigned src, const std::string& s, std::uint64_t now) {
  return l.chatter(src, s.data(), s.size(), now);
}

// ---- formatting (the printf subset every message goes through) ----

TEST(ConsoleFormat, Conversions) {
  EXPECT_EQ(fmt_string(128, "[%s] %u %d %d %x %X %%", "rtos1", 42u, -7, 0, 0xbeefu, 0xbeefu),
            "[rtos1] 42 -7 0 beef BEEF %");
  EXPECT_EQ(fmt_string(128, "%04x:%08x", 9u, 0x41feu), "0009:000041fe");
  EXPECT_EQ(fmt_string(128, "|%-6s|%6s|%5d|%05d|", "ab", "cd", -12, -12), "|ab    |    cd|  -12|-0012|");
  EXPECT_EQ(fmt_string(128, "|%-5d|%-5u|%3d|%-2d|", -12, 7u, -12345, -9), "|-12  |7    |-12345|-9|");
  EXPECT_EQ(fmt_string(128, "%llu %lu %c", 18446744073709551615ull, 7ul, 'z'), "18446744073709551615 7 z");
  EXPECT_EQ(fmt_string(128, "%d", -2147483647 - 1), "-2147483648");
  EXPECT_EQ(fmt_string(128, "%s", static_cast<const char*>(nullptr)), "(null)");
  EXPECT_EQ(fmt_string(128, "%p", reinterpret_cast<void*>(0x1234)), "00001234");
}

TEST(ConsoleFormat, CutTextKeepsItsNewline) {
  EXPECT_EQ(fmt_string(8, "abcdefghij\n"), "abcdef\n");
  EXPECT_EQ(fmt_string(8, "abcdefghij"), "abcdefg");
  EXPECT_EQ(fmt_string(8, "%s\n", "0123456789"), "012345\n");
  EXPECT_EQ(fmt_string(8, "abc\n"), "abc\n");
  EXPECT_EQ(fmt_string(1, "abc\n"), "");
}

// ---- the ring: whole messages, the reserve ----

TEST(ConsoleRing, MessagesAreWholeOrNotAtAll) {
  char storage[64];
  Ring r{storage, sizeof storage, 16};
  EXPECT_TRUE(put(r, std::string(40, 'a'), Class::chatter));
  EXPECT_FALSE(put(r, std::string(9, 'b'), Class::chatter));  // 49 > 48: nothing of it
  EXPECT_EQ(r.used(), 40u);
  EXPECT_TRUE(put(r, std::string(8, 'c'), Class::chatter));   // exactly to the mark
  EXPECT_FALSE(put(r, std::string(17, 'r'), Class::report));  // 65 > 64: nothing of it
  EXPECT_EQ(r.used(), 48u);
  EXPECT_EQ(take_all(r), std::string(40, 'a') + std::string(8, 'c'));
}

TEST(ConsoleRing, WrapsAroundKeepingOrder) {
  char storage[16];
  Ring r{storage, sizeof storage, 4};
  std::string out;
  for (int i = 0; i < 50; ++i) {
    const std::string msg = "m" + std::to_string(i) + "\n";
    ASSERT_TRUE(put(r, msg, Class::chatter)) << i;
    out += take(r, msg.size() - (i % 2));  // drain a little less than written, then catch up
    if (r.used() > 6) out += take_all(r);
  }
  out += take_all(r);
  std::string want;
  for (int i = 0; i < 50; ++i) want += "m" + std::to_string(i) + "\n";
  EXPECT_EQ(out, want);
}

TEST(ConsoleRing, ChatterStopsAtTheMarkAReportStillFits) {
  char storage[1024];
  Ring r{storage, sizeof storage, 256};
  EXPECT_EQ(r.chatter_limit(), 768u);
  int written = 0;
  while (put(r, std::string(90, 'x'), Class::chatter)) ++written;
  EXPECT_EQ(written, 8);  // 8 * 90 = 720; a 9th would pass 768
  EXPECT_LE(r.used(), r.chatter_limit());
  EXPECT_TRUE(put(r, std::string(250, 'R'), Class::report));   // the reserve is there
  EXPECT_TRUE(put(r, std::string(54, 'R'), Class::report));    // reports may fill the ring
  EXPECT_EQ(r.used(), 1024u);
  EXPECT_FALSE(put(r, "R", Class::report));
  EXPECT_FALSE(put(r, std::string(1500, 'R'), Class::report));  // longer than the ring
}

// ---- the rate limit ----

TEST(ConsoleLimiter, BurstThenOneLinePerPeriod) {
  constexpr RateLimit rate{4, 10};
  Limiter l;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(l.admit(0, rate)) << i;
  EXPECT_FALSE(l.admit(0, rate));
  EXPECT_FALSE(l.ready(9, rate));
  EXPECT_FALSE(l.admit(9, rate));
  EXPECT_TRUE(l.ready(10, rate));
  EXPECT_TRUE(l.admit(10, rate));
  EXPECT_FALSE(l.admit(10, rate));
  // A steady flood gets exactly one line per period.
  int admitted = 0;
  for (std::uint64_t t = 11; t < 1011; ++t)
    for (int k = 0; k < 5; ++k) admitted += l.admit(t, rate);
  EXPECT_EQ(admitted, 100);
  // Silence refills the bucket up to the burst, no more.
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(l.admit(100000, rate)) << i;
  EXPECT_FALSE(l.admit(100000, rate));
}

TEST(ConsoleLimiter, BurstOfOne) {
  constexpr RateLimit rate{1, 3};
  Limiter l;
  EXPECT_TRUE(l.admit(5, rate));
  EXPECT_FALSE(l.admit(7, rate));
  EXPECT_TRUE(l.admit(8, rate));
}

// ---- the log: classes, suppressed counts and lines ----

class ConsoleLog : public ::testing::Test {
 protected:
  static constexpr RateLimit rate{3, 10};
  char storage[1024];
  Log log{storage, sizeof storage, 256, rate};
  void SetUp() override {
    log.name_source(0, "linux");
    log.name_source(1, "rtos0");
    log.name_source(2, "rtos1");
  }
};

TEST_F(ConsoleLog, RateLimitPerSourceAndSuppressedLine) {
  for (int i = 0; i < 10; ++i) chatter(log, 0, "L" + std::to_string(i) + "\n", 0);
  EXPECT_TRUE(chatter(log, 1, "other\n", 0));  // another source has its own bucket
  EXPECT_EQ(log.suppressed(0), 7u);
  EXPECT_EQ(log.suppressed(1), 0u);
  log.tick(5);  // not yet due: nothing told
  EXPECT_EQ(take_all(log.ring()), "L0\nL1\nL2\nother\n");
  log.tick(10);  // due: the count is told, without spending the token
  EXPECT_EQ(log.suppressed(0), 0u);
  EXPECT_EQ(take_all(log.ring()), "gandalf: [linux] 7 messages suppressed\n");
  EXPECT_TRUE(chatter(log, 0, "L10\n", 10));
  EXPECT_FALSE(chatter(log, 0, "L11\n", 10));
  log.tick(20);
  EXPECT_EQ(take_all(log.ring()), "L10\ngandalf: [linux] 1 message suppressed\n");
}

TEST_F(ConsoleLog, SuppressedLineComesBeforeTheNextAdmittedLine) {
  for (int i = 0; i < 5; ++i) chatter(log, 2, "x\n", 0);
  EXPECT_TRUE(chatter(log, 2, "y\n", 10));  // no tick in between
  EXPECT_EQ(take_all(log.ring()), "x\nx\nx\ngandalf: [rtos1] 2 messages suppressed\ny\n");
  log.tick(1000);
  EXPECT_TRUE(log.ring().empty());  // told once
}

TEST_F(ConsoleLog, ChatterBeyondTheMarkIsSuppressedReportsStillFit) {
  Log wide{storage, sizeof storage, 256, RateLimit{1000, 1}};
  wide.name_source(0, "linux");
  int written = 0;
  for (int i = 0; i < 20; ++i) written += chatter(wide, 0, std::string(127, 'c') + "\n", 0);
  EXPECT_EQ(written, 6);  // 768 / 128: the chatter room is full to the byte
  EXPECT_EQ(wide.suppressed(0), 14u);
  const std::string fault = "gandalf: [rtos1] fault: vector 6 #UD invalid opcode (error 0x0000) at 0009:00004123: "
                            "exception without a registered guest handler\n";
  EXPECT_TRUE(report(wide, fault));
  EXPECT_TRUE(report(wide, "gandalf: [rtos1] restarting (1 of 3)\n"));
  const std::string out = take_all(wide.ring());
  EXPECT_EQ(out.substr(768), fault + "gandalf: [rtos1] restarting (1 of 3)\n");
  wide.tick(1);  // room again: the count is told
  EXPECT_EQ(take_all(wide.ring()), "gandalf: [linux] 14 messages suppressed\n");
}

TEST_F(ConsoleLog, SuppressedCountWaitsForRoom) {
  Log wide{storage, sizeof storage, 256, RateLimit{2, 10}};
  wide.name_source(0, "linux");
  wide.name_source(1, "rtos0");
  for (int i = 0; i < 4; ++i) chatter(wide, 1, "r\n", 0);  // rtos0: 2 suppressed
  // linux fills the chatter room to the byte.
  ASSERT_TRUE(put(wide.ring(), std::string(763, 'f') + "\n", Class::chatter));  // 4 + 764 = 768
  wide.tick(10);  // rtos0 is due but its line does not fit: still owed
  EXPECT_EQ(wide.suppressed(1), 2u);
  EXPECT_EQ(take(wide.ring(), 100).size(), 100u);
  wide.tick(11);
  EXPECT_EQ(wide.suppressed(1), 0u);
  EXPECT_TRUE(take_all(wide.ring()).ends_with("f\ngandalf: [rtos0] 2 messages suppressed\n"));
}

TEST_F(ConsoleLog, LostReportsAreToldWhenThereIsRoom) {
  EXPECT_TRUE(report(log, std::string(1000, 'a')));
  EXPECT_FALSE(report(log, std::string(30, 'b')));
  EXPECT_FALSE(report(log, std::string(30, 'c')));
  EXPECT_EQ(log.lost_reports(), 2u);
  take(log.ring(), 100);
  EXPECT_TRUE(report(log, "d\n"));
  EXPECT_EQ(log.lost_reports(), 0u);
  const std::string out = take_all(log.ring());
  EXPECT_EQ(out.substr(900), "gandalf: 2 reports lost (console ring full)\nd\n");
}

TEST_F(ConsoleLog, UnknownSourcesCountAsGandalf) {
  Log one{storage, sizeof storage, 256, RateLimit{1, 10}};
  EXPECT_TRUE(chatter(one, gandalf_source, "w\n", 0));
  EXPECT_FALSE(chatter(one, max_sources + 3, "w\n", 0));
  EXPECT_EQ(one.suppressed(gandalf_source), 1u);
  one.tick(10);
  EXPECT_EQ(take_all(one.ring()), "w\ngandalf: [gandalf] 1 message suppressed\n");
}

// The scenario of issue #10 item 4: a partition loops on refused hypercalls while another
// faults; the console drains 16 bytes per tick. The fault report and the restart line come
// out whole, the flood is cut to its rate, and its count is told.
TEST(ConsoleLogFlood, FaultReportSurvivesAFlood) {
  static char storage[16384];
  Log log{storage, sizeof storage, 4096, RateLimit{8, 100}};
  log.name_source(0, "linux");
  log.name_source(2, "rtos1");
  std::string out;
  int refused = 0;
  for (std::uint64_t now = 1; now <= 5000; ++now) {
    log.tick(now);
    for (int k = 0; k < 20; ++k, ++refused) {
      char line[128];
      const std::size_t n = format(line, sizeof line,
                                   "gandalf: [linux] hypercall 99 (ebx=0x%x ecx=0x0) at 0009:00004bd2 refused: error -1\n",
                                   static_cast<unsigned>(refused));
      log.chatter(0, line, n, now);
    }
    if (now == 2000) {
      EXPECT_TRUE(report(log, "gandalf: [rtos1] fault: vector 6 #UD invalid opcode (error 0x0000) at "
                              "0009:00004123: exception without a registered guest handler\n"));
      EXPECT_TRUE(report(log, "gandalf: [rtos1] restarting (1 of 3)\n"));
    }
    out += take(log.ring(), 16);
  }
  out += take_all(log.ring());
  EXPECT_NE(out.find("\ngandalf: [rtos1] fault: vector 6 #UD invalid opcode (error 0x0000) at 0009:00004123: "
                     "exception without a registered guest handler\ngandalf: [rtos1] restarting (1 of 3)\n"),
            std::string::npos);
  std::size_t lines = 0, suppressed_lines = 0, told = 0;
  for (std::size_t at = 0; at < out.size();) {
    const std::size_t end = out.find('\n', at);
    ASSERT_NE(end, std::string::npos);
    const std::string line = out.substr(at, end - at);
    at = end + 1;
    ++lines;
    unsigned n = 0;
    if (std::sscanf(line.c_str(), "gandalf: [linux] %u messages suppressed", &n) == 1) {
      ++suppressed_lines;
      told += n;
    } else {
      EXPECT_TRUE(line.rfind("gandalf: [linux] hypercall 99 ", 0) == 0 || line.rfind("gandalf: [rtos1] ", 0) == 0)
          << line;
    }
  }
  // 8 at once, then one per 100 ticks over 5000 ticks; one suppressed line per period.
  const std::size_t chatter_lines = lines - suppressed_lines - 2;
  EXPECT_EQ(chatter_lines, 8u + 49u);
  EXPECT_EQ(suppressed_lines, 49u);
  EXPECT_EQ(told + log.suppressed(0) + chatter_lines, static_cast<std::size_t>(refused));
}

TEST(LogPacing, RepeatingEventsAreToldAtPowersOfTen) {
  EXPECT_FALSE(gandalf::console::told_at_powers_of_ten(0));
  EXPECT_TRUE(gandalf::console::told_at_powers_of_ten(1));
  EXPECT_FALSE(gandalf::console::told_at_powers_of_ten(2));
  EXPECT_FALSE(gandalf::console::told_at_powers_of_ten(9));
  EXPECT_TRUE(gandalf::console::told_at_powers_of_ten(10));
  EXPECT_FALSE(gandalf::console::told_at_powers_of_ten(11));
  EXPECT_TRUE(gandalf::console::told_at_powers_of_ten(100));
  EXPECT_TRUE(gandalf::console::told_at_powers_of_ten(1'000'000));
  EXPECT_FALSE(gandalf::console::told_at_powers_of_ten(999'999));
}

}  // namespace
