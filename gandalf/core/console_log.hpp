// Gandalf's log, the portable half of its console (console.cpp adds the UART): printf-style
// formatting into a caller's buffer, a ring of whole messages with room reserved for
// reports, and a per-source rate limit for chatter. No heap, no I/O: the host unit tests
// (tests/unit/test_console_log.cpp) run exactly this code.
//
// Two classes of message (docs/debugging.md):
//  * reports must never be lost to anybody's chatter: fault, restart and stop reports, boot
//    errors, PANIC, monitor replies. Only reports alone filling the whole ring can drop one,
//    and that is counted and told ("gandalf: N reports lost").
//  * chatter is attributed to a source (a partition, or Gandalf itself) and is what a guest
//    can trigger again and again (refused hypercalls, warnings). Each source has a token
//    bucket (a burst, then one line per period of ticks), and chatter may fill the ring only
//    up to a high-water mark below its capacity. What is dropped is counted per source and
//    told later in one line: "gandalf: [NAME] N messages suppressed".
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>

namespace gandalf::console {

// printf subset: %s %c %d %u %x %X %p %%, with '-' and '0' flags, width, 'l'/'ll' length.
// Writes at most size - 1 characters and a NUL (size > 0); returns the length written. Text cut
// short still ends in '\n' if the whole text did, so a truncated line stays a line.
std::size_t vformat(char* buf, std::size_t size, const char* fmt, va_list ap);
[[gnu::format(printf, 3, 4)]] std::size_t format(char* buf, std::size_t size, const char* fmt, ...);

enum class Class : std::uint8_t { report, chatter };

// Whether the count-th occurrence of an event that may repeat for ever is told: the 1st, 10th,
// 100th... (a partition exhausting its budget every period, ticks lost one after another), so
// that the log stays readable; the monitor shows the running counts.
constexpr bool told_at_powers_of_ten(std::uint64_t count) {
  for (std::uint64_t n = 1; n != 0 && n <= count; n *= 10)
    if (n == count) return true;
  return false;
}

// Bytes in flight, written whole or not at all. Chatter may fill the ring up to
// capacity - reserve bytes, reports up to capacity: the reserve is always left for reports.
class Ring {
 public:
  // `capacity` is a power of two; reserve < capacity.
  constexpr Ring(char* storage, std::size_t capacity, std::size_t reserve)
      : data_(storage), mask_(capacity - 1), chatter_limit_(capacity - reserve) {}

  bool put(const char* msg, std::size_t len, Class c);
  bool empty() const { return head_ == tail_; }
  std::size_t used() const { return head_ - tail_; }
  std::size_t capacity() const { return mask_ + 1; }
  std::size_t chatter_limit() const { return chatter_limit_; }
  char pop() { return data_[tail_++ & mask_]; }  // only when !empty()

 private:
  char* data_;
  std::size_t mask_;
  std::size_t chatter_limit_;
  std::size_t head_ = 0;  // next write (free-running)
  std::size_t tail_ = 0;  // next to send
};

// Token bucket per source, in the generic cell rate form: one number, the time at which the
// bucket would be full again. A source may write `burst` lines at once, then one per `period`
// ticks. Zero-initialized means full.
struct RateLimit {
  std::uint32_t burst;   // lines, at least 1
  std::uint32_t period;  // ticks per line, steady state, at least 1
};

class Limiter {
 public:
  // A line at `now`: true (and a token taken) if the rate allows it.
  bool admit(std::uint64_t now, RateLimit r) {
    const std::uint64_t t = full_at_ > now ? full_at_ : now;
    if (t - now > std::uint64_t{r.burst - 1} * r.period) return false;
    full_at_ = t + r.period;
    return true;
  }
  // Would a line at `now` be admitted? (takes nothing)
  bool ready(std::uint64_t now, RateLimit r) const {
    return full_at_ <= now || full_at_ - now <= std::uint64_t{r.burst - 1} * r.period;
  }

 private:
  std::uint64_t full_at_ = 0;
};

// Sources: partition indices 0 .. max_sources - 2, and Gandalf's own warnings.
inline constexpr unsigned max_sources = 8;
inline constexpr unsigned gandalf_source = max_sources - 1;

// The ring, one limiter and one suppressed count per source, and the lost-report count.
class Log {
 public:
  constexpr Log(char* storage, std::size_t capacity, std::size_t reserve, RateLimit limit)
      : ring_(storage, capacity, reserve), limit_(limit) {}

  void name_source(unsigned source, const char* name) { names_[clamp(source)] = name; }

  // A report, after the "N reports lost" line if one is owed; false only if reports alone
  // fill the ring (then it is counted as lost).
  bool report(const char* msg, std::size_t len);

  // Chatter in two steps, so that a suppressed line costs no formatting:
  // admit: may `source` write a line now? If not, it is counted as suppressed.
  bool admit(unsigned source, std::uint64_t now);
  // put_chatter: writes an admitted line, after the source's "N messages suppressed" line if
  // one is owed; a line that does not fit below the high-water mark is counted as suppressed.
  bool put_chatter(unsigned source, const char* msg, std::size_t len);
  bool chatter(unsigned source, const char* msg, std::size_t len, std::uint64_t now) {
    return admit(source, now) && put_chatter(source, msg, len);
  }

  // Once per tick: each source whose rate allows a line again gets its "N messages
  // suppressed" line now (without spending a token), so a count is told even when the source
  // falls silent. One test when nothing was suppressed.
  void tick(std::uint64_t now);

  Ring& ring() { return ring_; }
  std::uint32_t suppressed(unsigned source) const { return suppressed_[clamp(source)]; }
  std::uint32_t lost_reports() const { return lost_reports_; }

 private:
  static unsigned clamp(unsigned source) { return source < max_sources ? source : gandalf_source; }
  static void count(std::uint32_t& n) { n += n != ~std::uint32_t{0}; }
  void drop(unsigned source);
  bool tell_suppressed(unsigned source);
  bool tell_lost();

  Ring ring_;
  RateLimit limit_;
  Limiter limiters_[max_sources]{};
  std::uint32_t suppressed_[max_sources]{};
  const char* names_[max_sources]{};
  std::uint32_t owed_ = 0;  // bit n: source n has a suppressed count to tell
  std::uint32_t lost_reports_ = 0;
};

}  // namespace gandalf::console
