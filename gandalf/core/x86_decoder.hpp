// IA-32 instruction decoder for Gandalf's #GP path.
//
// When a guest running at ring 1 executes a privileged or I/O-sensitive instruction the CPU
// raises #GP and Gandalf decodes the instruction at CS:EIP to emulate it or to report it.
// This decoder computes the exact length of every instruction of the legacy opcode maps
// (one-byte, 0F, 0F 38, 0F 3A, x87, 3DNow!) in 32-bit or 16-bit protected mode, rejects
// encodings that are undefined (#UD) or truncated, and classifies the privileged/sensitive
// instructions with their operands.  VEX/EVEX/XOP encodings are recognised but not decoded.
//
// Reference: Intel SDM Vol. 2, Chapter 2 (instruction format) and Appendix A (opcode maps).
// Freestanding: no libc, no exceptions, no heap; the same code runs in Gandalf and the host
// unit tests.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gandalf::x86 {

// Architectural limit on the length of an instruction (SDM Vol. 2, 2.3.11).
inline constexpr std::size_t kMaxInsnLength = 15;

enum class Op : std::uint8_t {
  invalid,  // cannot be decoded: #UD on hardware, truncated, or longer than 15 bytes
  other,    // a valid instruction that is not one of the sensitive ones below
  in,
  out,
  ins,
  outs,
  cli,
  sti,
  hlt,
  lgdt,
  lidt,
  sgdt,
  sidt,
  lldt,
  ltr,
  sldt,
  str,
  lmsw,
  smsw,
  mov_to_cr,
  mov_from_cr,
  mov_to_dr,
  mov_from_dr,
  clts,
  invd,
  wbinvd,
  invlpg,
  rdmsr,
  wrmsr,
  rdtsc,
  rdpmc,
  cpuid,
  int_n,
  int3,
  into,
  iret,
  pushf,
  popf,
  mov_to_sreg,
  pop_sreg,
  lds_les_lfs_lgs_lss,
  far_jmp,
  far_call,
  far_ret,
  sysenter,
  sysexit,
  syscall,
  sysret,
  ud2,
  vex_unsupported,  // VEX (C4/C5), EVEX (62) or XOP (8F) encoding: length not decoded
};

// Segment register numbers as encoded in ModRM.reg of 8C/8E (SDM Vol. 2, 3.1.1.3).
enum Sreg : std::int8_t { kEs = 0, kCs = 1, kSs = 2, kDs = 3, kFs = 4, kGs = 5 };

struct Insn {
  std::uint8_t length;  // total bytes including prefixes (0 when op is vex_unsupported)
  Op op;
  std::uint8_t opsize;    // effective operand size in bytes: 2 or 4 (66 toggles the default,
                          // also when it serves as an SSE mandatory prefix)
  std::uint8_t addrsize;  // effective address size in bytes: 2 or 4 (67 toggles the default)
  std::uint8_t width;     // bytes moved by in/out/ins/outs: 1, 2 or 4; 0 otherwise
  bool rep;               // an F3 prefix is present (REP/REPE, or a mandatory prefix)
  bool repne;             // an F2 prefix is present
  bool lock;              // an F0 prefix is present
  std::int8_t seg;        // segment override, the last one wins: -1 none, else Sreg
  bool has_modrm;
  std::uint8_t mod, reg, rm;  // ModRM fields.  MOV CR/DR (0F 20-23) report mod = 3: the mod
                              // bits are ignored there and rm always names a GPR
  bool has_sib;
  std::uint8_t scale, index, base;  // SIB fields; scale is the raw 2-bit field
  std::int32_t disp;                // displacement, sign-extended (0 if none)
  std::uint32_t imm;        // first immediate, raw and zero-extended: port (E4-E7), vector (CD),
                            // Iw of C2/CA/C8, offset of ptr16:16/32 (9A/EA), moffs (A0-A3),
                            // rel8/rel16/32 of branches, 3DNow! suffix
  bool port_in_dx;          // in/out/ins/outs take the port from DX
  std::uint8_t opcode_map;  // 0 one-byte, 1 0F, 2 0F 38, 3 0F 3A
  std::uint8_t opcode;      // the opcode byte within its map
  // Beyond the original brief:
  std::uint16_t imm2;  // second immediate: selector of ptr16:16/32 (9A/EA), Ib of ENTER (C8),
                       // second Ib of EXTRQ/INSERTQ
  std::int8_t sreg;    // segment register written by mov_to_sreg / pop_sreg /
                       // lds_les_lfs_lgs_lss (Sreg), -1 otherwise
  std::uint8_t prefix_count;  // legacy prefix bytes before the opcode (or VEX escape)
};

// Lower-case name for reports, e.g. "cli", "mov cr", "lgdt".
const char* mnemonic(Op op);

// Decodes the instruction at bytes[0 .. avail).  default32 selects the code segment's default
// operand/address size (CS.D): true for 32-bit, false for 16-bit.  Returns false with
// out.op == Op::invalid if the encoding is undefined, truncated (avail too small) or longer
// than 15 bytes.  VEX/EVEX/XOP encodings return true with out.op == Op::vex_unsupported and
// out.length == 0.
bool decode(const std::uint8_t* bytes, std::size_t avail, Insn& out, bool default32 = true);

// Offset (not including the segment base) of the ModRM memory operand of insn, using the
// address size of insn (16-bit results are truncated to 16 bits).  gpr: eax, ecx, edx, ebx,
// esp, ebp, esi, edi.  Returns 0 if insn has no memory operand.
std::uint32_t effective_address(const Insn& insn, const std::uint32_t gpr[8]);

// Segment used by the ModRM memory operand: the override if any, else SS for EBP/ESP/BP-based
// addressing and DS otherwise (SDM Vol. 1, 3.7.4).
std::int8_t effective_segment(const Insn& insn);

}  // namespace gandalf::x86
