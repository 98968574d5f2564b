// Segment, system and gate descriptors (Intel SDM Vol. 3A §3.4.5, §3.5, §6.11, §7.2.2).
#pragma once

#include <cstdint>
#include <type_traits>

#include "gandalf/arch/ia32/bitfield.hpp"

namespace gandalf::ia32 {

// Selector: index, table indicator and requested privilege level (SDM §3.4.2).
struct Selector {
  using Rpl = Field<std::uint16_t, 0, 2>;
  using Ti = Flag<std::uint16_t, 2>;
  using Index = Field<std::uint16_t, 3, 13>;
  static constexpr std::uint16_t make(std::uint16_t index, std::uint16_t rpl) {
    return static_cast<std::uint16_t>(Index::encode(index) | Rpl::encode(rpl));
  }
};

// Descriptor types (SDM Table 3-1 for code/data with S=1, Table 3-2 for system with S=0).
enum class SegmentType : std::uint8_t {
  data_rw_accessed = 0x3,
  code_xr_accessed = 0xb,
  tss32_available = 0x9,
  tss32_busy = 0xb,
  interrupt_gate32 = 0xe,
  trap_gate32 = 0xf,
};

// An 8-byte descriptor in the GDT, LDT or IDT, built from named fields.
struct Descriptor {
  using LimitLow = Field<std::uint64_t, 0, 16>;
  using BaseLow = Field<std::uint64_t, 16, 24>;
  using Type = Field<std::uint64_t, 40, 4>;
  using S = Flag<std::uint64_t, 44>;    // 1 = code/data, 0 = system
  using Dpl = Field<std::uint64_t, 45, 2>;
  using P = Flag<std::uint64_t, 47>;
  using LimitHigh = Field<std::uint64_t, 48, 4>;
  using Avl = Flag<std::uint64_t, 52>;
  using Db = Flag<std::uint64_t, 54>;   // 32-bit default operand size
  using G = Flag<std::uint64_t, 55>;    // limit in 4 KiB units
  using BaseHigh = Field<std::uint64_t, 56, 8>;
  // Gates (SDM Figure 6-2).
  using OffsetLow = Field<std::uint64_t, 0, 16>;
  using GateSelector = Field<std::uint64_t, 16, 16>;
  using OffsetHigh = Field<std::uint64_t, 48, 16>;

  std::uint64_t raw;

  // `limit` is the highest valid offset in bytes. Above 1 MiB the limit must end on a
  // 4 KiB boundary (limit & 0xfff == 0xfff) because G=1 counts pages (SDM §3.4.5).
  static constexpr bool limit_encodable(std::uint32_t limit) {
    return limit <= 0xfffffu || (limit & 0xfffu) == 0xfffu;
  }

  static constexpr Descriptor segment(std::uint32_t base, std::uint32_t limit, SegmentType type,
                                      unsigned dpl, bool system = false) {
    const bool pages = limit > 0xfffffu;
    const std::uint64_t units = pages ? limit >> 12 : limit;
    return {LimitLow::encode(units) | LimitHigh::encode(units >> 16) | BaseLow::encode(base) |
            BaseHigh::encode(base >> 24) | Type::encode(static_cast<std::uint64_t>(type)) |
            S::encode(system ? 0 : 1) | Dpl::encode(dpl) | P::encode(1) |
            Db::encode(system ? 0 : 1) | G::encode(pages ? 1 : 0)};
  }
  static constexpr Descriptor code(std::uint32_t base, std::uint32_t limit, unsigned dpl) {
    return segment(base, limit, SegmentType::code_xr_accessed, dpl);
  }
  static constexpr Descriptor data(std::uint32_t base, std::uint32_t limit, unsigned dpl) {
    return segment(base, limit, SegmentType::data_rw_accessed, dpl);
  }
  static constexpr Descriptor tss(std::uint32_t base, std::uint32_t limit) {
    return segment(base, limit, SegmentType::tss32_available, 0, true);
  }
  static constexpr Descriptor gate(std::uint32_t offset, std::uint16_t selector, unsigned dpl,
                                   SegmentType type = SegmentType::interrupt_gate32) {
    return {OffsetLow::encode(offset) | OffsetHigh::encode(offset >> 16) |
            GateSelector::encode(selector) | Type::encode(static_cast<std::uint64_t>(type)) |
            Dpl::encode(dpl) | P::encode(1)};
  }

  constexpr std::uint32_t base() const {
    return static_cast<std::uint32_t>(BaseLow::decode(raw) | BaseHigh::decode(raw) << 24);
  }
  constexpr std::uint32_t limit() const {
    const auto units = static_cast<std::uint32_t>(LimitLow::decode(raw) | LimitHigh::decode(raw) << 16);
    return G::decode(raw) ? (units << 12) | 0xfffu : units;
  }
  constexpr unsigned dpl() const { return static_cast<unsigned>(Dpl::decode(raw)); }
  constexpr bool present() const { return P::decode(raw) != 0; }
};
static_assert(std::is_standard_layout_v<Descriptor> && sizeof(Descriptor) == 8);

// The operand of lgdt/lidt (SDM §3.5.1): 16-bit limit then 32-bit linear base.
struct [[gnu::packed]] PseudoDescriptor {
  std::uint16_t limit;
  std::uint32_t base;
};
static_assert(sizeof(PseudoDescriptor) == 6);

}  // namespace gandalf::ia32
