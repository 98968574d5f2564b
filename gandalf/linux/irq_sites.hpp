// Linux's interrupt flag without traps. Patch 0001 leaves each cli and sti that Linux's C code
// executes (native_irq_disable/enable, inlined everywhere) followed by a short jump over zeros:
// on bare metal the jump costs one instruction; at ring 1 the cli or sti traps once, and
// Gandalf writes over the whole site code that keeps the virtual interrupt flag in
// gandalf_vif_xor, Linux's own memory, so that the site never traps again:
//
//   cli site (10 bytes)   movl $IF, gandalf_vif_xor          ; virtual IF off
//   sti site (20 bytes)   movl $0, gandalf_vif_xor           ; virtual IF on
//                         cmpb $0, gandalf_vif_xor+4         ; an interrupt held for Linux?
//                         je   1f
//                         sti                                ; then trap: Gandalf delivers it
//                      1:
//
// Gandalf reads the word whenever it decides whether Linux takes an interrupt, and sets the
// byte at +4 when it resumes Linux's kernel with an interrupt held back by the virtual IF: an
// interrupt raised between the two stores is delivered at once, one raised before is found by
// the cmpb, none is lost. The idea is the paravirtual patching of VMware's VMI and Linux's
// pv-ops, done lazily by the monitor on the first trap instead of by the guest at boot.
#pragma once

#include <array>
#include <cstdint>

#include "gandalf/arch/ia32/eflags.hpp"

namespace gandalf::linux_guest::irq_sites {

inline constexpr unsigned cli_size = 10, sti_size = 20;
inline constexpr std::uint8_t op_cli = 0xfa, op_sti = 0xfb, op_jmp_rel8 = 0xeb;
inline constexpr std::uint32_t if_bit = ia32::eflags::If::mask;  // as gandalf_vif_xor holds it
inline constexpr std::uint32_t pending_offset = 4;  // the "interrupt held" byte

// The site as the compiler left it: `opcode; jmp 1f; .skip size-3; 1:`.
constexpr bool is_site(const std::uint8_t* code, unsigned size, std::uint8_t opcode) {
  if (code[0] != opcode || code[1] != op_jmp_rel8 || code[2] != size - 3) return false;
  for (unsigned i = 3; i < size; ++i)
    if (code[i] != 0) return false;
  return true;
}

namespace detail {
constexpr void put32(std::uint8_t* at, std::uint32_t v) {
  for (unsigned i = 0; i < 4; ++i) at[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
// movl $value, (address): C7 /0 with a disp32-only ModRM (mod 00, r/m 101).
constexpr void mov_to_memory(std::uint8_t* at, std::uint32_t address, std::uint32_t value) {
  at[0] = 0xc7;
  at[1] = 0x05;
  put32(at + 2, address);
  put32(at + 6, value);
}
}  // namespace detail

// `vif_linear` is gandalf_vif_xor's address in Linux's kernel mapping.
constexpr std::array<std::uint8_t, cli_size> encode_cli(std::uint32_t vif_linear) {
  std::array<std::uint8_t, cli_size> out{};
  detail::mov_to_memory(out.data(), vif_linear, if_bit);
  return out;
}

constexpr std::array<std::uint8_t, sti_size> encode_sti(std::uint32_t vif_linear) {
  std::array<std::uint8_t, sti_size> out{};
  detail::mov_to_memory(out.data(), vif_linear, 0);
  out[10] = 0x80;  // cmpb $0, (address): 80 /7, disp32
  out[11] = 0x3d;
  detail::put32(out.data() + 12, vif_linear + pending_offset);
  out[16] = 0;
  out[17] = 0x74;  // je +1 (over the sti)
  out[18] = 1;
  out[19] = op_sti;
  return out;
}

}  // namespace gandalf::linux_guest::irq_sites
