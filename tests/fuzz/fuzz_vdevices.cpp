// Fuzz target: the virtual 8259 pair and 8254 a guest programs through trapped port I/O
// (gandalf/core/vpic_8259.*, vpit_8254.*). Input: a program of port writes and reads, line
// edges, INTA cycles and steps of virtual time, in any order and with any values, as a
// hostile guest (and Gandalf's own interrupt routing) would produce them.
//
// Checked after every step, besides ASan/UBSan: pending() implies requested() (the scheduler
// asks requested() first: a pending interrupt it skipped would be lost); an INTA returns a
// vector of one of the two programmed bases; after advance(now) the next deadline lies after
// now; no step reports more timer edges than ticks passed.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "gandalf/core/vpic_8259.hpp"
#include "gandalf/core/vpit_8254.hpp"
#include "tests/fuzz/fuzz_input.hpp"

namespace {

using gandalf::vdev::PicChip;
using gandalf::vdev::VirtualPic;
using gandalf::vdev::VirtualPit;

[[noreturn]] void fail(const char* what, std::size_t step) {
  std::fprintf(stderr, "fuzz_vdevices: step %zu: %s\n", step, what);
  std::abort();
}

constexpr std::uint16_t pic_ports[4] = {0x20, 0x21, 0xa0, 0xa1};

using gandalf::fuzz::Input;

void check_pic(const VirtualPic& pic, std::size_t step) {
  if (pic.pending() && !pic.requested()) fail("pending() without requested()", step);
}

void acknowledge(VirtualPic& pic, std::size_t step) {
  if (!pic.pending()) return;
  const unsigned vector = pic.acknowledge();
  const unsigned m = pic.vector_base(PicChip::master), s = pic.vector_base(PicChip::slave);
  if (!(vector - m < 8) && !(vector - s < 8)) fail("INTA vector outside both bases", step);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static VirtualPic pic;
  static VirtualPit pit;
  pic.reset();
  pit.reset();
  Input in{data, size};
  std::uint64_t now = 0;
  for (std::size_t step = 0; in.more(); ++step) {
    const std::uint8_t op = in.byte();
    switch (op % 8) {
      case 0: pic.write(pic_ports[(op >> 3) & 3], in.byte()); break;
      case 1: (void)pic.read(pic_ports[(op >> 3) & 3]); break;
      case 2: pic.raise((op >> 3) & 15); break;
      case 3: pic.lower((op >> 3) & 15); break;
      case 4: acknowledge(pic, step); break;
      case 5: pit.write(static_cast<std::uint16_t>(0x40 + ((op >> 3) & 3)), in.byte(), now); break;
      case 6: (void)pit.read(static_cast<std::uint16_t>(0x40 + ((op >> 3) & 3)), now); break;
      default: {
        // Up to 2^24 ticks (14 s) per step, the scale of one Gandalf tick to a long stop.
        const std::uint64_t step_ticks = (std::uint64_t{in.byte()} << 16 | std::uint64_t{in.byte()} << 8 | in.byte()) >> (op >> 3);
        const std::uint64_t before = now;
        now += step_ticks;
        const std::uint32_t edges = pit.advance(now);
        if (edges > now - before + 1) fail("more timer edges than ticks", step);
        if (edges != 0) pic.raise(0);
        const std::uint64_t next = pit.next_deadline();
        if (next != gandalf::vdev::i8254::never && next <= now) fail("next deadline not after now", step);
        break;
      }
    }
    check_pic(pic, step);
  }
  return 0;
}
