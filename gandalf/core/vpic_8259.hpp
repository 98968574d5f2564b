// A guest's virtual 8259A pair, slave on master IR2 as on the PC/AT (Intel 8259A datasheet).
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/bitfield.hpp"

namespace gandalf::vdev {

// Register layouts of one 8259A, with the datasheet's names.
namespace i8259 {

enum class Port : std::uint16_t {
  master_command = 0x20,  // A0 = 0
  master_data = 0x21,     // A0 = 1
  slave_command = 0xa0,
  slave_data = 0xa1,
};

// ICW1 (A0 = 0, D4 = 1). D7-D5 (A7-A5) only matter in MCS-80/85 mode: kept, unused.
enum class Icw1 : std::uint8_t { ic4 = 0x01, sngl = 0x02, adi = 0x04, ltim = 0x08, init = 0x10 };
// ICW2 (A0 = 1): T7-T3 of the vector; in 8086 mode the chip supplies T2-T0 = the level.
using Icw2Vector = ia32::Field<std::uint8_t, 3, 5>;
// ICW4 (A0 = 1, only if ICW1.IC4): uPM = 8086 mode, AEOI, M/S, BUF, SFNM.
enum class Icw4 : std::uint8_t { upm = 0x01, aeoi = 0x02, ms = 0x04, buf = 0x08, sfnm = 0x10 };

// OCW2 (A0 = 0, D4 = D3 = 0): R, SL, EOI (D7-D5) select the command, L2-L0 (D2-D0) a level.
using Ocw2Command = ia32::Field<std::uint8_t, 5, 3>;
using Ocw2Level = ia32::Field<std::uint8_t, 0, 3>;
enum class Ocw2 : std::uint8_t {
  rotate_in_aeoi_clear = 0b000,
  nonspecific_eoi = 0b001,
  nop = 0b010,
  specific_eoi = 0b011,
  rotate_in_aeoi_set = 0b100,
  rotate_on_nonspecific_eoi = 0b101,
  set_priority = 0b110,
  rotate_on_specific_eoi = 0b111,
};

// OCW3 (A0 = 0, D4 = 0, D3 = 1): ESMM/SMM, P (poll), RR/RIS (read register select).
enum class Ocw3 : std::uint8_t {
  ris = 0x01,
  rr = 0x02,
  p = 0x04,
  ocw3 = 0x08,  // D3 = 1 tells OCW3 from OCW2
  smm = 0x20,
  esmm = 0x40,
};

// Poll word read after OCW3.P: I (D7) = a request was pending, W2-W0 = its level.
inline constexpr std::uint8_t poll_interrupt = 0x80;
inline constexpr unsigned levels = 8;
inline constexpr unsigned spurious_level = 7;  // the level an INTA without a request answers

// One 8259A: its registers, initialization sequence and priority resolver. `cascade` arguments
// are the IR inputs currently driven by a slave's INT output (master only): they request like
// IRR bits but are not latched here, so they vanish when the slave stops requesting.
class Controller {
 public:
  struct Ack {
    std::uint8_t level;
    bool spurious;  // nothing to answer: level 7, no ISR bit set
  };

  constexpr Controller(std::uint8_t icw2, std::uint8_t icw3) : icw2_(icw2), icw3_(icw3) {}

  void write_command(std::uint8_t value);  // A0 = 0: ICW1, OCW2, OCW3
  void write_data(std::uint8_t value);     // A0 = 1: ICW2-ICW4 during initialization, else OCW1
  std::uint8_t read(bool a0, std::uint8_t cascade);
  void raise(unsigned level) {
    lines_ = static_cast<std::uint8_t>(lines_ | (1u << level));
    irr_ = static_cast<std::uint8_t>(irr_ | (1u << level));
  }
  void lower(unsigned level);

  bool requesting(std::uint8_t cascade) const { return winner(cascade) != 0; }  // the INT pin
  // Eligible requests at all (unmasked IRR bits): a cheap necessary condition for requesting().
  bool unmasked_request() const { return (irr_ & ~imr_) != 0; }
  Ack acknowledge(std::uint8_t cascade);                                        // INTA
  // INTA where the simple state makes it trivial (automatic EOI, edge triggered, nothing in
  // service, no rotation, a request not from a slave): the vector; -1 to take the full path.
  int acknowledge_simple() {
    const auto requests = static_cast<std::uint8_t>(irr_ & ~imr_);
    if (!simple_ || requests == 0) return -1;
    const auto first = static_cast<std::uint8_t>(requests & (0u - requests));  // IR0 highest
    if ((first & simple_cascade_) != 0) return -1;  // the slave's: the full path
    irr_ = static_cast<std::uint8_t>(irr_ ^ first);
    return static_cast<int>(simple_base_ | static_cast<unsigned>(__builtin_ctz(first)));
  }
  // The simple state (acknowledge_simple's): the INT pin is up iff an unmasked request is
  // latched (nothing in service, initial priorities).
  bool simple() const { return simple_; }
  // An edge on `level` that the CPU acknowledges at once: in the simple state, with no
  // unmasked request latched and `level` unmasked, raise() then acknowledge_simple() leave
  // IRR as it was and answer this vector. -1: not so (raise() it).
  int direct_vector(unsigned level) const {
    const unsigned b = 1u << level;
    if (!simple_ || ((irr_ & ~imr_) | (imr_ & b)) != 0) return -1;
    return static_cast<int>(simple_base_ | level);
  }
  // What raise() leaves behind when the edge was acknowledged at once: the input's level.
  void took_directly(unsigned level) { lines_ = static_cast<std::uint8_t>(lines_ | (1u << level)); }
  bool cascades_at(unsigned level) const;  // cascade mode and ICW3 names a slave on `level`
  std::uint8_t vector(unsigned level) const;
  std::uint8_t vector_base() const { return static_cast<std::uint8_t>(icw2_ & Icw2Vector::mask); }

  std::uint8_t irr(std::uint8_t cascade) const { return irr_ | cascade; }
  std::uint8_t isr() const { return isr_; }
  std::uint8_t imr() const { return imr_; }

 private:
  enum class InitStep : std::uint8_t { ready, icw2, icw3, icw4 };
  static constexpr unsigned no_level = levels;

  void write_icw1(std::uint8_t value);
  void write_ocw2(std::uint8_t value);
  void write_ocw3(std::uint8_t value);
  InitStep step_after_icw3() const;
  std::uint8_t poll(std::uint8_t cascade);
  void accept(unsigned level);
  void end_of_interrupt(unsigned level, bool rotate);
  std::uint8_t blocking() const;
  std::uint8_t by_priority(std::uint8_t bits) const;
  unsigned level_of(std::uint8_t priority_bit) const;
  // The priority resolver: inline for the state a guest spends its life in (nothing in
  // service, as with automatic EOI, and the initial priorities, IR0 highest); resolved in
  // full out of line otherwise.
  std::uint8_t winner(std::uint8_t cascade) const {
    const auto requests = static_cast<std::uint8_t>((irr_ | cascade) & ~imr_);
    if (isr_ == 0 && lowest_ == levels - 1) return static_cast<std::uint8_t>(requests & (0u - requests));
    return winner_in_general(cascade);
  }
  std::uint8_t winner_in_general(std::uint8_t cascade) const;
  unsigned highest_in_service() const;
  bool auto_eoi() const;
  bool level_triggered() const;

  std::uint8_t irr_ = 0;
  std::uint8_t isr_ = 0;
  std::uint8_t imr_ = 0xff;
  std::uint8_t lines_ = 0;  // IR input levels, for level-triggered mode
  std::uint8_t icw1_ = static_cast<std::uint8_t>(Icw1::init) | static_cast<std::uint8_t>(Icw1::ic4);
  std::uint8_t icw2_;
  std::uint8_t icw3_;
  std::uint8_t icw4_ = static_cast<std::uint8_t>(Icw4::upm);
  std::uint8_t lowest_ = levels - 1;  // the bottom-priority level (rotation, set priority)
  InitStep step_ = InitStep::ready;
  // acknowledge_simple()'s state, kept by every change of mode or in-service bits: automatic
  // EOI, edge triggered, no rotation in AEOI, initial priorities, nothing in service.
  bool simple_ = false;
  std::uint8_t simple_base_ = 0;     // vector_base(), kept with simple_
  std::uint8_t simple_cascade_ = 0;  // bit 2 when cascades_at(2): that level is the slave's
  void refresh_simple();
  bool read_isr_ = false;  // OCW3 RR/RIS: A0 = 0 reads ISR instead of IRR
  bool poll_ = false;      // OCW3 P: the next read is a poll
  bool special_mask_ = false;
  bool rotate_in_aeoi_ = false;
};

}  // namespace i8259

enum class PicChip : std::uint8_t { master, slave };

// The master/slave pair a guest sees on ports 0x20/0x21 and 0xa0/0xa1. IRQ n is master IR n for
// n < 8 and slave IR n-8 otherwise; IRQ 2 is the cascade input and cannot be raised.
class VirtualPic {
 public:
  static constexpr unsigned lines = 16;
  static constexpr unsigned cascade_irq = 2;

  // Constant-initialised to the reset() state, so a static VirtualPic needs no constructor run.
  constexpr VirtualPic() = default;

  void reset();
  void write(std::uint16_t port, std::uint8_t value);
  std::uint8_t read(std::uint16_t port);

  void raise(unsigned irq) {  // an edge on line irq: sets the IRR bit
    if (irq >= lines || irq == cascade_irq) return;
    if (irq < i8259::levels) master_.raise(irq);
    else slave_.raise(irq - i8259::levels);
  }
  void lower(unsigned irq);  // the line drops: clears the request only in level-triggered mode
  // raise(irq) and take() in one, for an edge the CPU acknowledges at once (Gandalf delivers
  // it straight from the real interrupt): the vector take() would answer, with the state
  // raise() and take() would leave, when nothing else is requested on either chip and irq is
  // an unmasked master line in the simple state; -1 (nothing changed) otherwise.
  int raise_and_take(unsigned irq) {
    if (irq >= i8259::levels || irq == cascade_irq || slave_.unmasked_request()) return -1;
    const int v = master_.direct_vector(irq);
    if (v >= 0) master_.took_directly(irq);
    return v;
  }

  bool pending() const {  // the master's INT pin
    if (!slave_.unmasked_request() && master_.simple()) return master_.unmasked_request();
    return pending_in_general();
  }
  bool pending_in_general() const { return master_.requesting(cascade_input()); }
  // Cheap necessary condition for pending(): some request is latched at all. Gandalf's
  // scheduler asks this first on every pass, so an idle controller costs two loads.
  bool requested() const { return (master_.irr(0) | slave_.irr(0)) != 0; }
  // The INTA cycle: the vector the CPU receives (IR7's, spurious, when nothing requests).
  std::uint8_t acknowledge() {
    const int v = take();
    return v >= 0 ? static_cast<std::uint8_t>(v) : acknowledge_in_general();
  }
  std::uint8_t acknowledge_in_general();
  // INTA only if the INT pin is up: the vector, or -1 (one priority resolution, not two).
  // Inline for the common case: the master alone requests, with automatic EOI, edge
  // triggered, nothing in service, initial priorities.
  int take() {
    if (!slave_.unmasked_request()) {
      if (const int v = master_.acknowledge_simple(); v >= 0) return v;
    }
    return pending() ? acknowledge_in_general() : -1;
  }

  std::uint16_t irr() const;  // slave in the high byte
  std::uint16_t isr() const;
  std::uint16_t imr() const;
  std::uint8_t vector_base(PicChip chip) const;

 private:
  static constexpr std::uint8_t master_base = 0x20;
  static constexpr std::uint8_t slave_base = 0x28;
  static constexpr std::uint8_t master_icw3 = 1u << cascade_irq;  // S2: a slave on IR2
  static constexpr std::uint8_t slave_icw3 = cascade_irq;         // ID = 2

  // The slave's INT pin drives master IR2 for as long as the slave has an eligible request.
  std::uint8_t cascade_input() const {
    if (!slave_.unmasked_request()) return 0;  // the common case: no slave line requesting
    return slave_.requesting(0) ? static_cast<std::uint8_t>(1u << cascade_irq) : std::uint8_t{0};
  }
  i8259::Controller* controller(std::uint16_t port);

  i8259::Controller master_{master_base, master_icw3};
  i8259::Controller slave_{slave_base, slave_icw3};
};

}  // namespace gandalf::vdev
