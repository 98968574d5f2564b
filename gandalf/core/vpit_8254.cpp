// Virtual 8254: control words, count access, latches, read-back and OUT timing (8254 datasheet).
#include "gandalf/core/vpit_8254.hpp"

namespace gandalf::vdev {
namespace i8254 {
namespace {

constexpr std::uint32_t full_count = 0x10000;  // binary counting: a count of 0 means 2^16

struct Division {
  std::uint64_t quotient;
  std::uint32_t remainder;
};

// 64-bit by (at most 2^16) division in 16-bit digits: the running remainder stays below 2^16, so
// each step is a 32-bit division and an -m32 build needs no libgcc helper (__udivdi3).
constexpr Division divide(std::uint64_t dividend, std::uint32_t divisor) {
  Division result{0, 0};
  for (int shift = 48; shift >= 0; shift -= 16) {
    const std::uint32_t digit = static_cast<std::uint32_t>(dividend >> shift) & 0xffffu;
    const std::uint32_t part = result.remainder << 16 | digit;
    result.quotient = result.quotient << 16 | part / divisor;
    result.remainder = part % divisor;
  }
  return result;
}
static_assert(divide(0x123456789abcdefull, 65536).quotient == 0x123456789abcdefull >> 16);
static_assert(divide(10'000'000'000ull, 1193).remainder == 10'000'000'000ull % 1193);
static_assert(divide(10'000'000'000ull, 1193).quotient == 10'000'000'000ull / 1193);

// M2 is "don't care" for modes 2 and 3: 110 and 111 are the same modes.
constexpr Mode decode_mode(std::uint8_t m) { return static_cast<Mode>(m >= 6 ? m - 4 : m); }

constexpr bool periodic(Mode mode) {
  return mode == Mode::rate_generator || mode == Mode::square_wave;
}

constexpr bool gate_triggered(Mode mode) {
  return mode == Mode::hardware_retriggerable_one_shot || mode == Mode::hardware_triggered_strobe;
}

constexpr std::uint8_t low_byte(std::uint16_t value) { return static_cast<std::uint8_t>(value); }
constexpr std::uint8_t high_byte(std::uint16_t value) {
  return static_cast<std::uint8_t>(value >> 8);
}

// Mode 3 CE `phase` pulses into a cycle. Even N: N, N-2, ... through each half. Odd N: N is
// loaded, decremented by one, then by two while OUT is high ((N+1)/2 pulses); reloaded, decremented
// by three, then by two while OUT is low ((N-1)/2 pulses).
constexpr std::uint16_t square_wave_count(std::uint32_t length, std::uint32_t phase) {
  const std::uint32_t high_pulses = (length + 1) / 2;
  if (length % 2 == 0) return static_cast<std::uint16_t>(length - 2 * (phase % high_pulses));
  if (phase < high_pulses) {
    return static_cast<std::uint16_t>(phase == 0 ? length : length + 1 - 2 * phase);
  }
  const std::uint32_t low_phase = phase - high_pulses;
  return static_cast<std::uint16_t>(low_phase == 0 ? length : length - 1 - 2 * low_phase);
}

}  // namespace

Mode Counter::mode() const { return decode_mode(M::decode(programmed_)); }
Access Counter::access() const { return static_cast<Access>(Rw::decode(programmed_)); }

// "When a Control Word is written to a Counter, all Control Logic is immediately reset and OUT
// goes to a known initial state" (low in mode 0, high otherwise); a new count must follow. The
// latches are dropped; CE keeps its (formally undefined) content.
void Counter::program(std::uint8_t control, std::uint64_t now) {
  stop(now);
  programmed_ = StatusProgrammed::decode(control);
  write_msb_next_ = read_msb_next_ = false;
  count_latched_ = status_latched_ = false;
  transfer_at_ = never;
}

void Counter::stop(std::uint64_t now) {
  idle_count_ = count(now);
  counting_ = false;
}

// Count bytes per RW. Mode 0, two-byte count: "Writing the first byte disables counting. OUT is
// set low immediately"; in the other modes the first byte alone has no effect.
void Counter::write(std::uint8_t value, std::uint64_t now) {
  switch (access()) {
    case Access::lsb:
      store_count(value, now);
      return;
    case Access::msb:
      store_count(static_cast<std::uint16_t>(value << 8), now);
      return;
    case Access::latch:
    case Access::lsb_msb:
      break;
  }
  if (!write_msb_next_) {
    lsb_ = value;
    write_msb_next_ = true;
    if (mode() == Mode::interrupt_on_terminal_count) {
      stop(now);
      transfer_at_ = never;
    }
    return;
  }
  write_msb_next_ = false;
  store_count(static_cast<std::uint16_t>(lsb_ | value << 8), now);
}

// When CR reaches CE: modes 0 and 4 (re)start on the next CLK pulse; in modes 2 and 3 a count
// written while counting takes effect at the next reload ("the present period will not be
// affected"; mode 3 reloads at the end of the cycle here, not of the half-cycle); modes 1 and 5
// wait for a rising edge on GATE, which never comes with GATE tied high.
void Counter::store_count(std::uint16_t count_register, std::uint64_t now) {
  count_register_ = count_register;
  const std::uint32_t length = count_register == 0 ? full_count : count_register;
  if (gate_triggered(mode())) {
    stop(now);
    transfer_at_ = never;
  } else if (periodic(mode()) && counting_ && now >= start_) {
    const Cycle cycle = cycle_at(now);
    start_ = cycle.start;
    length_ = cycle.length;
    next_length_ = length;
    transfer_at_ = cycle.start + cycle.length;
  } else {
    stop(now);  // until the load pulse a read shows the old CE
    counting_ = true;
    start_ = now + 1;
    length_ = next_length_ = length;
    transfer_at_ = start_;
  }
}

// The cycle (load or reload to the next reload) that contains `tick` >= start_.
Counter::Cycle Counter::cycle_at(std::uint64_t tick) const {
  const std::uint64_t end = start_ + length_;
  if (tick < end) return {start_, length_};
  return {tick - divide(tick - end, next_length_).remainder, next_length_};
}

// Modes 0 and 4 keep decrementing past zero (through FFFF); mode 2 counts N..1 and reloads.
std::uint16_t Counter::count(std::uint64_t now) const {
  if (!counting_ || now < start_) return idle_count_;
  switch (mode()) {
    case Mode::rate_generator: {
      const Cycle cycle = cycle_at(now);
      return static_cast<std::uint16_t>(cycle.length - (now - cycle.start));
    }
    case Mode::square_wave: {
      const Cycle cycle = cycle_at(now);
      return square_wave_count(cycle.length, static_cast<std::uint32_t>(now - cycle.start));
    }
    default:
      return static_cast<std::uint16_t>(start_ + length_ - now);
  }
}

// Mode 0: low until terminal count, then high. Mode 4: high except the one pulse at CE = 0.
// Mode 2: low for the pulse at CE = 1. Mode 3: high for the first (N+1)/2 pulses of a cycle.
bool Counter::output(std::uint64_t now) const {
  if (!counting_ || now < start_) return mode() != Mode::interrupt_on_terminal_count;
  switch (mode()) {
    case Mode::interrupt_on_terminal_count:
      return now >= start_ + length_;
    case Mode::software_triggered_strobe:
      return now != start_ + length_;
    case Mode::rate_generator: {
      const Cycle cycle = cycle_at(now);
      return now - cycle.start != cycle.length - 1u;
    }
    case Mode::square_wave: {
      const Cycle cycle = cycle_at(now);
      return now - cycle.start < (cycle.length + 1u) / 2;
    }
    default:
      return true;
  }
}

std::uint8_t Counter::status(std::uint64_t now) const {
  return static_cast<std::uint8_t>(StatusOutput::encode(output(now)) |
                                   StatusNullCount::encode(null_count(now)) | programmed_);
}

// OUT rising edges: mode 0 at terminal count; mode 4 one pulse after it (the end of the strobe);
// modes 2 and 3 at each reload, the first one a full count after the load.
std::uint64_t Counter::first_edge() const {
  if (!counting_) return never;
  switch (mode()) {
    case Mode::software_triggered_strobe:
      return start_ + length_ + 1;
    case Mode::interrupt_on_terminal_count:
    case Mode::rate_generator:
    case Mode::square_wave:
      return start_ + length_;
    default:
      return never;
  }
}

std::uint32_t Counter::edge_period() const { return periodic(mode()) ? next_length_ : 0; }

std::uint64_t Counter::edges_through(std::uint64_t tick) const {
  const std::uint64_t first = first_edge();
  if (first == never || tick < first) return 0;
  const std::uint32_t period = edge_period();
  return period == 0 ? 1 : 1 + divide(tick - first, period).quotient;
}

std::uint64_t Counter::next_edge_after(std::uint64_t tick) const {
  const std::uint64_t first = first_edge();
  if (tick < first) return first;
  const std::uint32_t period = edge_period();
  if (period == 0) return never;
  return tick - divide(tick - first, period).remainder + period;
}

// Counter Latch Command / read-back COUNT: "if a Counter is latched and then, some time later,
// latched again before the count is read, the second Counter Latch Command is ignored".
void Counter::latch_count(std::uint64_t now) {
  if (count_latched_) return;
  output_latch_ = count(now);
  count_latched_ = true;
}

void Counter::latch_status(std::uint64_t now) {
  if (status_latched_) return;
  status_latch_ = status(now);
  status_latched_ = true;
}

// A latched status is read first, "regardless of which was latched first", then the count.
std::uint8_t Counter::read(std::uint64_t now) {
  if (status_latched_) {
    status_latched_ = false;
    return status_latch_;
  }
  return read_byte(count_latched_ ? output_latch_ : count(now));
}

// RW = LSB or MSB: one byte; LSB then MSB: alternating, on a flip-flop separate from the write
// one. The last byte of a latched count releases OL, so later reads follow CE again.
std::uint8_t Counter::read_byte(std::uint16_t value) {
  bool msb = access() == Access::msb;
  bool last = true;
  if (access() == Access::lsb_msb || access() == Access::latch) {
    msb = read_msb_next_;
    last = read_msb_next_;
    read_msb_next_ = !read_msb_next_;
  }
  if (last) count_latched_ = false;
  return msb ? high_byte(value) : low_byte(value);
}

}  // namespace i8254

void VirtualPit::reset() { *this = VirtualPit{}; }

// The time of a write is never before an edge already reported. advance()'s one-edge path
// reports the edge at next_edge_ and moves it on by a period without moving last_now_; when
// it has run since collect() or refresh_edges() last set next_edge_ (marked_edge_), the
// latest edge reported is the one before next_edge_, and a write booked before it would let
// refresh_edges() find that edge again. (Callers pass precise_now(), never before the time
// advanced to: this only keeps that promise from being load-bearing.)
std::uint64_t VirtualPit::not_before_reported(std::uint64_t now) const {
  if (next_edge_ == marked_edge_) return now;
  const std::uint64_t reported = next_edge_ - edge_period_;
  return now < reported ? reported : now;
}

void VirtualPit::write(std::uint16_t port, std::uint8_t value, std::uint64_t now) {
  now = not_before_reported(now);
  if (port == static_cast<std::uint16_t>(i8254::Port::control)) {
    write_control(value, now);
    return;
  }
  const unsigned index = port - static_cast<unsigned>(i8254::Port::counter0);
  if (index >= i8254::counters) return;
  if (index == 0) collect(now);
  counters_[index].write(value, now);
  if (index == 0) refresh_edges();
}

// Reading the control word address is a no-operation (bus floats): 0xff, as for unknown ports.
std::uint8_t VirtualPit::read(std::uint16_t port, std::uint64_t now) {
  const unsigned index = port - static_cast<unsigned>(i8254::Port::counter0);
  if (index >= i8254::counters) return 0xff;
  return counters_[index].read(now);
}

// SC selects the counter (11: read-back); RW = 00 is the Counter Latch Command, which leaves
// the mode alone. The BCD bit is kept for the status byte but counting is always binary.
void VirtualPit::write_control(std::uint8_t value, std::uint64_t now) {
  const unsigned select = i8254::Sc::decode(value);
  if (select == i8254::sc_read_back) {
    read_back(value, now);
  } else if (static_cast<i8254::Access>(i8254::Rw::decode(value)) == i8254::Access::latch) {
    counters_[select].latch_count(now);
  } else {
    if (select == 0) collect(now);
    counters_[select].program(value, now);
    if (select == 0) refresh_edges();
  }
}

// Read-back: COUNT# = 0 latches the count, STATUS# = 0 the status, of every selected counter.
void VirtualPit::read_back(std::uint8_t value, std::uint64_t now) {
  const unsigned selected = i8254::ReadBackSelect::decode(value);
  for (unsigned index = 0; index < i8254::counters; ++index) {
    if ((selected & (1u << index)) == 0) continue;
    if (!i8254::ReadBackCount::decode(value)) counters_[index].latch_count(now);
    if (!i8254::ReadBackStatus::decode(value)) counters_[index].latch_status(now);
  }
}

// Books the IRQ 0 edges up to `now` under the current programming; called before counter 0 is
// reprogrammed so that edges of the old programming are still reported.
// (last_now_ may lag behind the time advance() reached: the edges counted are those from
// next_edge_ on, the first one not yet counted, never those since last_now_.)
void VirtualPit::collect(std::uint64_t now) {
  if (now <= last_now_) return;
  if (now >= next_edge_) {
    if (edge_period_ != 0 && now - next_edge_ < edge_period_) {  // the one edge of a tick
      owe(1);
      next_edge_ += edge_period_;
    } else {
      const i8254::Counter& counter0 = counters_[0];
      owe(counter0.edges_through(now) - counter0.edges_through(next_edge_ - 1));
      next_edge_ = counter0.next_edge_after(now);
      if (next_edge_ == never) edge_period_ = 0;  // advance()'s fast test relies on it
    }
  }
  last_now_ = now;
  marked_edge_ = next_edge_;
}

// Saturating: a guest's 8254 that owed 2^32 edges would have been advanced by nobody for an
// hour of ticks (every tick advances every running partition's).
void VirtualPit::owe(std::uint64_t edges) {
  const std::uint64_t owed = owed_edges_ + edges;
  owed_edges_ = owed > 0xffff'ffffu ? 0xffff'ffffu : static_cast<std::uint32_t>(owed);
}

void VirtualPit::refresh_edges() {
  next_edge_ = counters_[0].next_edge_after(last_now_);
  edge_period_ = next_edge_ == never ? 0 : counters_[0].edge_period();
  marked_edge_ = next_edge_;
}

std::uint32_t VirtualPit::advance_in_general(std::uint64_t now) {
  collect(now);
  const std::uint32_t reported = owed_edges_;
  owed_edges_ = 0;
  return reported;
}

// With edges owed, last_now_ is where collect() left it (advance's fast path runs only with
// none owed); without, next_edge_ is the first edge not yet reported.
std::uint64_t VirtualPit::next_deadline() const {
  if (owed_edges_ != 0) return last_now_;
  return next_edge_;
}

bool VirtualPit::output(unsigned counter, std::uint64_t now) const {
  return counter < i8254::counters && counters_[counter].output(now);
}

}  // namespace gandalf::vdev
