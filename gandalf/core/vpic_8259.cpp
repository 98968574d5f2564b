// Virtual 8259A pair: initialization sequence, OCWs and priority resolution (8259A datasheet).
#include "gandalf/core/vpic_8259.hpp"

namespace gandalf::vdev {
namespace i8259 {
namespace {

constexpr std::uint8_t bit(unsigned level) { return static_cast<std::uint8_t>(1u << level); }

template <typename Bits>
constexpr bool has(std::uint8_t word, Bits flag) {
  return (word & static_cast<std::uint8_t>(flag)) != 0;
}

constexpr std::uint8_t lowest_set(std::uint8_t bits) {
  return static_cast<std::uint8_t>(bits & (0u - bits));
}

}  // namespace

// A0 = 0: D4 = 1 is ICW1; otherwise D3 tells OCW3 from OCW2 (datasheet, "Operation Command Words").
void Controller::write_command(std::uint8_t value) {
  if (has(value, Icw1::init)) {
    write_icw1(value);
  } else if (has(value, Ocw3::ocw3)) {
    write_ocw3(value);
  } else {
    write_ocw2(value);
  }
  refresh_simple();
}

void Controller::refresh_simple() {
  simple_ = has(icw4_, Icw4::aeoi) && !level_triggered() && !rotate_in_aeoi_ && lowest_ == levels - 1 && isr_ == 0;
  simple_base_ = vector_base();
  simple_cascade_ = cascades_at(2) ? static_cast<std::uint8_t>(bit(2)) : std::uint8_t{0};
}

// ICW1 starts the sequence: the edge-sense circuit is reset, the IMR cleared, IR7 gets the lowest
// priority, the slave address becomes 7, special mask mode is cleared and status read selects IRR;
// without IC4 every ICW4 function is zero. The datasheet is silent on the ISR: we clear it so a
// re-initialised chip never keeps a level blocked by a stale in-service bit.
void Controller::write_icw1(std::uint8_t value) {
  icw1_ = value;
  step_ = InitStep::icw2;
  irr_ = level_triggered() ? lines_ : 0;
  isr_ = 0;
  imr_ = 0;
  icw3_ = levels - 1;
  lowest_ = levels - 1;
  read_isr_ = poll_ = special_mask_ = rotate_in_aeoi_ = false;
  if (!has(value, Icw1::ic4)) icw4_ = 0;
}

// ICW2 always follows ICW1; ICW3 only in cascade mode (SNGL = 0); ICW4 only if IC4 was set.
void Controller::write_data(std::uint8_t value) {
  switch (step_) {
    case InitStep::icw2:
      icw2_ = value;
      step_ = has(icw1_, Icw1::sngl) ? step_after_icw3() : InitStep::icw3;
      return refresh_simple();
    case InitStep::icw3:
      icw3_ = value;
      step_ = step_after_icw3();
      return refresh_simple();
    case InitStep::icw4:
      icw4_ = value;
      step_ = InitStep::ready;
      refresh_simple();
      return;
    case InitStep::ready:
      imr_ = value;  // OCW1
      return;
  }
}

Controller::InitStep Controller::step_after_icw3() const {
  return has(icw1_, Icw1::ic4) ? InitStep::icw4 : InitStep::ready;
}

// OCW2: EOI and rotation commands. Non-specific variants act on the highest-priority ISR bit.
void Controller::write_ocw2(std::uint8_t value) {
  const unsigned level = Ocw2Level::decode(value);
  switch (static_cast<Ocw2>(Ocw2Command::decode(value))) {
    case Ocw2::nonspecific_eoi:
      end_of_interrupt(highest_in_service(), false);
      return;
    case Ocw2::specific_eoi:
      end_of_interrupt(level, false);
      return;
    case Ocw2::rotate_on_nonspecific_eoi:
      end_of_interrupt(highest_in_service(), true);
      return;
    case Ocw2::rotate_on_specific_eoi:
      end_of_interrupt(level, true);
      return;
    case Ocw2::set_priority:
      lowest_ = static_cast<std::uint8_t>(level);
      return;
    case Ocw2::rotate_in_aeoi_set:
      rotate_in_aeoi_ = true;
      return;
    case Ocw2::rotate_in_aeoi_clear:
      rotate_in_aeoi_ = false;
      return;
    case Ocw2::nop:
      return;
  }
}

// Rotation makes the level just serviced the lowest priority (datasheet, "Automatic Rotation").
void Controller::end_of_interrupt(unsigned level, bool rotate) {
  if (level == no_level) return;
  isr_ &= static_cast<std::uint8_t>(~bit(level));
  if (rotate) lowest_ = static_cast<std::uint8_t>(level);
}

// OCW3: each pair (ESMM/SMM, RR/RIS) only acts when its enable bit is set; P arms a poll.
void Controller::write_ocw3(std::uint8_t value) {
  if (has(value, Ocw3::p)) poll_ = true;
  if (has(value, Ocw3::rr)) read_isr_ = has(value, Ocw3::ris);
  if (has(value, Ocw3::esmm)) special_mask_ = has(value, Ocw3::smm);
}

// After a poll command the next read, on either address, is the poll word and acts as an INTA.
std::uint8_t Controller::read(bool a0, std::uint8_t cascade) {
  if (poll_) return poll(cascade);
  if (a0) return imr_;
  return read_isr_ ? isr_ : irr(cascade);
}

// "Sets the appropriate IS bit if there is a request, and reads the priority level." AEOI is
// honoured as for an INTA, so a polled AEOI guest is never left with a stale in-service bit.
std::uint8_t Controller::poll(std::uint8_t cascade) {
  poll_ = false;
  const Ack ack = acknowledge(cascade);
  return ack.spurious ? 0 : static_cast<std::uint8_t>(poll_interrupt | ack.level);
}

// Edge-triggered: the request is latched in IRR (Gandalf's devices send pulses, so it stays
// latched after lower()). Level-triggered: IRR follows the line.
void Controller::lower(unsigned level) {
  lines_ &= static_cast<std::uint8_t>(~bit(level));
  if (level_triggered()) irr_ &= static_cast<std::uint8_t>(~bit(level));
}

// INTA: the highest-priority request is frozen, its IRR bit reset and its ISR bit set (unless
// AEOI, which performs a non-specific EOI at the end of the sequence). With no request left the
// chip answers IR7 and sets no ISR bit (datasheet, "Interrupt Sequence").
Controller::Ack Controller::acknowledge(std::uint8_t cascade) {
  const std::uint8_t priority_bit = winner(cascade);
  if (priority_bit == 0) return {spurious_level, true};
  const unsigned level = level_of(priority_bit);
  accept(level);
  refresh_simple();
  return {static_cast<std::uint8_t>(level), false};
}

void Controller::accept(unsigned level) {
  irr_ &= static_cast<std::uint8_t>(~bit(level));
  if (level_triggered()) irr_ |= lines_ & bit(level);  // still asserted: requests again after EOI
  if (!auto_eoi()) {
    isr_ |= bit(level);
  } else if (rotate_in_aeoi_) {
    lowest_ = static_cast<std::uint8_t>(level);
  }
}

bool Controller::cascades_at(unsigned level) const {
  return !has(icw1_, Icw1::sngl) && (icw3_ & bit(level)) != 0;
}

// 8086 mode vector: T7-T3 from ICW2, T2-T0 the level. In MCS-80/85 mode (ICW4.uPM = 0) the real
// chip would emit CALL bytes; we answer the same 8086-style vector.
std::uint8_t Controller::vector(unsigned level) const {
  return static_cast<std::uint8_t>(vector_base() | level);
}

// In-service levels that inhibit lower priorities: all of ISR, or in special mask mode only the
// unmasked ones ("enables interrupts from all other levels that are not masked").
std::uint8_t Controller::blocking() const {
  return special_mask_ ? static_cast<std::uint8_t>(isr_ & ~imr_) : isr_;
}

// Rotates a level set so that the highest-priority level lands on bit 0.
std::uint8_t Controller::by_priority(std::uint8_t bits) const {
  const unsigned shift = (lowest_ + 1u) % levels;
  return static_cast<std::uint8_t>((bits >> shift) | (bits << (levels - shift)));
}

unsigned Controller::level_of(std::uint8_t priority_bit) const {
  return (static_cast<unsigned>(__builtin_ctz(priority_bit)) + lowest_ + 1u) % levels;
}

// The priority resolver: the highest unmasked request strictly above the highest blocking
// in-service level (fully nested mode), as a bit in by_priority() order; 0 if none.
std::uint8_t Controller::winner_in_general(std::uint8_t cascade) const {
  const std::uint8_t requests = by_priority(static_cast<std::uint8_t>(irr(cascade) & ~imr_));
  const std::uint8_t in_service = by_priority(blocking());
  const std::uint8_t above =
      in_service != 0 ? static_cast<std::uint8_t>(lowest_set(in_service) - 1u) : std::uint8_t{0xff};
  return lowest_set(requests & above);
}

// The non-specific EOI target. In special mask mode a masked IS bit is not cleared by it.
unsigned Controller::highest_in_service() const {
  const std::uint8_t in_service = by_priority(blocking());
  return in_service != 0 ? level_of(lowest_set(in_service)) : no_level;
}

bool Controller::auto_eoi() const { return has(icw4_, Icw4::aeoi); }
bool Controller::level_triggered() const { return has(icw1_, Icw1::ltim); }

}  // namespace i8259

// Gandalf's pre-boot state: vectors 0x20/0x28, cascade on IR2, 8086 mode, normal EOI, edge
// triggered, everything masked, read-IRR selected.
void VirtualPic::reset() { *this = VirtualPic{}; }

i8259::Controller* VirtualPic::controller(std::uint16_t port) {
  switch (static_cast<i8259::Port>(port)) {
    case i8259::Port::master_command:
    case i8259::Port::master_data:
      return &master_;
    case i8259::Port::slave_command:
    case i8259::Port::slave_data:
      return &slave_;
  }
  return nullptr;
}

void VirtualPic::write(std::uint16_t port, std::uint8_t value) {
  i8259::Controller* chip = controller(port);
  if (chip == nullptr) return;
  if ((port & 1u) == 0) {
    chip->write_command(value);
  } else {
    chip->write_data(value);
  }
}

std::uint8_t VirtualPic::read(std::uint16_t port) {
  i8259::Controller* chip = controller(port);
  if (chip == nullptr) return 0xff;
  const std::uint8_t cascade = chip == &master_ ? cascade_input() : std::uint8_t{0};
  return chip->read((port & 1u) != 0, cascade);
}

void VirtualPic::lower(unsigned irq) {
  if (irq >= lines || irq == cascade_irq) return;
  if (irq < i8259::levels) {
    master_.lower(irq);
  } else {
    slave_.lower(irq - i8259::levels);
  }
}


// The master resolves first; if it picks a level with a slave (ICW3) that slave supplies the
// vector and sets its own ISR bit, the master setting IR2's (datasheet, "Cascade Mode").
std::uint8_t VirtualPic::acknowledge_in_general() {
  const i8259::Controller::Ack ack = master_.acknowledge(cascade_input());
  if (ack.spurious || ack.level != cascade_irq || !master_.cascades_at(cascade_irq)) {
    return master_.vector(ack.level);
  }
  return slave_.vector(slave_.acknowledge(0).level);
}

std::uint16_t VirtualPic::irr() const {
  return static_cast<std::uint16_t>(master_.irr(cascade_input()) | slave_.irr(0) << 8);
}

std::uint16_t VirtualPic::isr() const {
  return static_cast<std::uint16_t>(master_.isr() | slave_.isr() << 8);
}

std::uint16_t VirtualPic::imr() const {
  return static_cast<std::uint16_t>(master_.imr() | slave_.imr() << 8);
}

std::uint8_t VirtualPic::vector_base(PicChip chip) const {
  return chip == PicChip::master ? master_.vector_base() : slave_.vector_base();
}

}  // namespace gandalf::vdev
