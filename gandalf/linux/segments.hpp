// How Linux's GDT becomes the processor's (docs/linux.md, "Descriptor tables"): each of
// Linux's descriptors is checked and, where needed, clipped before Gandalf puts it into the
// partition's GDT window. Header-only and constexpr: the VMM uses it, the unit tests
// (tests/unit/test_linux.cpp) prove it against hostile descriptors.
#pragma once

#include <cstdint>

#include "gandalf/arch/ia32/descriptor.hpp"
#include "gandalf/arch/ia32/frame.hpp"

namespace gandalf::linux_guest::segments {

using ia32::Descriptor;

inline constexpr unsigned window_entries = 32;

constexpr std::uint64_t with_limit(std::uint64_t raw, std::uint32_t limit) {
  const bool pages = limit > 0xfffffu;
  const std::uint32_t units = pages ? limit >> 12 : limit;
  raw = Descriptor::LimitLow::replace(raw, units & 0xffffu);
  raw = Descriptor::LimitHigh::replace(raw, units >> 16);
  return Descriptor::G::replace(raw, pages ? 1 : 0);
}

// What one of Linux's descriptors becomes in the processor's GDT (docs/linux.md, "Descriptor
// tables"): code and data only (system descriptors and gates never reach the hardware),
// DPL 0 raised to 1, no conforming code, no expand-down data, and no segment that reaches
// Gandalf's window, except user TLS segments (DPL 3), whose 4 GiB wrap-around glibc needs.
constexpr std::uint64_t validated(std::uint64_t raw, std::uint32_t linux_limit) {
  const Descriptor d{raw};
  if (!d.present() || !Descriptor::S::decode(raw)) return 0;
  const auto type = Descriptor::Type::decode(raw);
  if (type & 4) return 0;  // conforming code or expand-down data
  if (d.dpl() == 0) raw = Descriptor::Dpl::replace(raw, 1);
  const std::uint32_t base = d.base(), limit = d.limit();
  if (base == 0) return limit > linux_limit ? with_limit(raw, linux_limit) : raw;
  if (d.dpl() == 3) return raw;
  if (base > linux_limit) return 0;
  const std::uint32_t room = linux_limit - base;
  if (limit <= room) return raw;
  return with_limit(raw, room > 0xfffffu ? ((room + 1) & ~0xfffu) - 1 : room);
}

// GDT entries named by the frame's segment registers (bit n = entry n; the null entry and
// LDT selectors are never named).
constexpr std::uint32_t live_entries(const ia32::Frame& f) {
  std::uint32_t mask = 0;
  const std::uint32_t sels[6] = {f.cs, f.ss, f.ds, f.es, f.fs, f.gs};
  for (std::uint32_t sel : sels)
    if ((sel & 4) == 0 && (sel >> 3) < window_entries) mask |= 1u << (sel >> 3);
  return mask & ~1u;
}

// Linux's own selectors, in the layout of its 32-bit GDT (arch/x86/include/asm/segment.h).
static_assert(validated(0x00cf9a000000ffffull, 0xfbffffffu) ==
              (Descriptor::code(0, 0xfbffffffu, 1).raw & ~(std::uint64_t{1} << 40)),
              "__KERNEL_CS: DPL 0 -> 1, 4 GiB clipped below Gandalf's window");

}  // namespace gandalf::linux_guest::segments
