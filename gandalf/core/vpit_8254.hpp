// A guest's virtual 8254: three counters at 1,193,182 Hz, OUT0 on IRQ 0 (Intel 8254 datasheet).
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/bitfield.hpp"

namespace gandalf::vdev {

// Register layouts of the 8254, with the datasheet's names.
namespace i8254 {

inline constexpr std::uint32_t input_hz = 1'193'182;
inline constexpr unsigned counters = 3;
// Spelled out: <limits> does not compile under clang -m32 -mgeneral-regs-only (long double).
inline constexpr std::uint64_t never = ~std::uint64_t{0};

enum class Port : std::uint16_t {
  counter0 = 0x40,
  counter1 = 0x41,
  counter2 = 0x42,
  control = 0x43,
};

// Control word (A1A0 = 11): SC1-SC0, RW1-RW0, M2-M0, BCD.
using Sc = ia32::Field<std::uint8_t, 6, 2>;
using Rw = ia32::Field<std::uint8_t, 4, 2>;
using M = ia32::Field<std::uint8_t, 1, 3>;
using Bcd = ia32::Flag<std::uint8_t, 0>;
inline constexpr std::uint8_t sc_read_back = 0b11;

// RW: 00 is the Counter Latch Command, the others the access mode of count reads and writes.
enum class Access : std::uint8_t { latch = 0b00, lsb = 0b01, msb = 0b10, lsb_msb = 0b11 };

// M2-M0; 110 and 111 are aliases of modes 2 and 3 ("X" don't-care bit M2).
enum class Mode : std::uint8_t {
  interrupt_on_terminal_count = 0,
  hardware_retriggerable_one_shot = 1,
  rate_generator = 2,
  square_wave = 3,
  software_triggered_strobe = 4,
  hardware_triggered_strobe = 5,
};

// Read-back command (SC = 11): COUNT# and STATUS# are active low; CNT0-CNT2 select counters.
using ReadBackCount = ia32::Flag<std::uint8_t, 5>;
using ReadBackStatus = ia32::Flag<std::uint8_t, 4>;
using ReadBackSelect = ia32::Field<std::uint8_t, 1, 3>;  // bit n: counter n

// Status byte: OUTPUT, NULL COUNT, then RW1-RW0, M2-M0, BCD as last programmed.
using StatusOutput = ia32::Flag<std::uint8_t, 7>;
using StatusNullCount = ia32::Flag<std::uint8_t, 6>;
using StatusProgrammed = ia32::Field<std::uint8_t, 0, 6>;

// One counter with its GATE tied high. Time `now` counts CLK pulses: a count written at tick t is
// loaded into CE by the pulse at t + 1, so CE = N at t + 1 and N - k at t + 1 + k.
class Counter {
 public:
  void program(std::uint8_t control, std::uint64_t now);  // a control word naming this counter
  void write(std::uint8_t value, std::uint64_t now);      // a count byte
  std::uint8_t read(std::uint64_t now);
  void latch_count(std::uint64_t now);
  void latch_status(std::uint64_t now);

  std::uint16_t count(std::uint64_t now) const;  // CE as a read would show it
  bool output(std::uint64_t now) const;          // the OUT pin
  bool null_count(std::uint64_t now) const { return now < transfer_at_; }
  std::uint8_t status(std::uint64_t now) const;

  std::uint64_t edges_through(std::uint64_t tick) const;    // OUT rising edges at ticks <= tick
  std::uint64_t next_edge_after(std::uint64_t tick) const;  // first rising edge > tick, or never
  std::uint32_t edge_period() const;                         // ticks between edges, 0: not periodic

 private:
  struct Cycle {
    std::uint64_t start;  // the tick CE held `length`
    std::uint32_t length;
  };

  Mode mode() const;
  Access access() const;
  void store_count(std::uint16_t count_register, std::uint64_t now);
  void stop(std::uint64_t now);
  Cycle cycle_at(std::uint64_t tick) const;
  std::uint64_t first_edge() const;
  std::uint8_t read_byte(std::uint16_t value);

  std::uint8_t programmed_ = Rw::encode(static_cast<std::uint8_t>(Access::lsb_msb));  // RW, M, BCD
  std::uint16_t count_register_ = 0;  // CR as written (0 = 65536)
  std::uint8_t lsb_ = 0;              // the LSB of a two-byte count waiting for its MSB
  bool write_msb_next_ = false;
  bool read_msb_next_ = false;
  bool count_latched_ = false;
  bool status_latched_ = false;
  std::uint16_t output_latch_ = 0;  // OL
  std::uint8_t status_latch_ = 0;
  bool counting_ = false;
  std::uint16_t idle_count_ = 0;       // CE while not counting (or before the load pulse)
  std::uint64_t start_ = 0;            // the load pulse of the running cycle
  std::uint32_t length_ = 0;           // its length, 1..65536
  std::uint32_t next_length_ = 0;      // modes 2/3: the length of every later cycle
  std::uint64_t transfer_at_ = never;  // NULL COUNT is set until CR reaches CE at this tick
};

}  // namespace i8254

// The 8254 a guest sees on ports 0x40-0x43. Counter 0's OUT drives IRQ 0; counters 1 and 2 count
// with GATE high but drive nothing (port 0x61 is not emulated). `now` must never go backwards.
class VirtualPit {
 public:
  static constexpr std::uint64_t never = i8254::never;

  void reset();  // no counter programmed, no interrupts
  void write(std::uint16_t port, std::uint8_t value, std::uint64_t now);
  std::uint8_t read(std::uint16_t port, std::uint64_t now);

  // IRQ 0 edges in (previous now, now]. Inline for a periodic counter's one edge of a tick,
  // which writes nothing but next_edge_: last_now_ may then lag behind the time advanced to
  // (every edge before next_edge_ is counted, and next_edge_ is the first edge after the time
  // advanced to, which is all the other paths need: collect, next_deadline).
  std::uint32_t advance(std::uint64_t now) {
    // next_edge_ > the time advanced to, so an edge at or before now is progress;
    // edge_period_ != 0 only with a finite next_edge_, so `since` below 2^32 means
    // now >= next_edge_ (before it, the difference wraps to 2^64 - something small).
    const std::uint64_t since = now - next_edge_;
    if ((owed_edges_ | static_cast<std::uint32_t>(since >> 32)) == 0 && static_cast<std::uint32_t>(since) < edge_period_) {
      next_edge_ += edge_period_;
      return 1;
    }
    return advance_in_general(now);
  }
  std::uint32_t advance_in_general(std::uint64_t now);
  std::uint64_t next_deadline() const;       // tick of the next IRQ 0 edge not yet reported
  bool output(unsigned counter, std::uint64_t now) const;

 private:
  void write_control(std::uint8_t value, std::uint64_t now);
  void read_back(std::uint8_t value, std::uint64_t now);
  std::uint64_t not_before_reported(std::uint64_t now) const;
  void collect(std::uint64_t now);
  void owe(std::uint64_t edges);
  void refresh_edges();

  i8254::Counter counters_[i8254::counters]{};
  std::uint64_t last_now_ = 0;     // the latest time collected (advance's fast path leaves it)
  std::uint32_t owed_edges_ = 0;  // edges up to last_now_ not yet returned by advance()
                                  // (below 2^32: every partition's 8254 advances every tick)
  // Counter 0's first edge after last_now_ and its edge period (0: not periodic, or no edge
  // to come), kept so that a tick books its one edge without a division (collect, advance);
  // redone after every write.
  std::uint64_t next_edge_ = never;
  std::uint64_t marked_edge_ = never;  // next_edge_ as collect()/refresh_edges() last left it
  std::uint32_t edge_period_ = 0;
};

}  // namespace gandalf::vdev
