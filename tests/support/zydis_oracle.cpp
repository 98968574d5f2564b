// Zydis as the oracle of Gandalf's decoder (zydis_oracle.hpp).
#include "tests/support/zydis_oracle.hpp"

#include <cstdio>

namespace gandalf::test {
namespace {

using x86::decode;
using x86::Insn;
using x86::Op;

struct ZydisExpect {
  Op op;
  int sreg;     // segment register for mov_to_sreg / pop_sreg / lds.., else -1
  int ctl_reg;  // CR/DR number for mov cr/dr, else -1
};

int sreg_of(ZydisRegister r) {
  return (r >= ZYDIS_REGISTER_ES && r <= ZYDIS_REGISTER_GS) ? r - ZYDIS_REGISTER_ES : -1;
}

// The Op Zydis's decoding implies (independent of our opcode tables: mnemonics and operands).
ZydisExpect expected_from_zydis(const ZydisDecoder& dec, const std::uint8_t* b,
                                const ZydisDecodedInstruction& zi) {
  const bool far = zi.meta.branch_type == ZYDIS_BRANCH_TYPE_FAR;
  switch (zi.mnemonic) {
    case ZYDIS_MNEMONIC_IN:
      return {Op::in, -1, -1};
    case ZYDIS_MNEMONIC_OUT:
      return {Op::out, -1, -1};
    case ZYDIS_MNEMONIC_INSB:
    case ZYDIS_MNEMONIC_INSW:
    case ZYDIS_MNEMONIC_INSD:
      return {Op::ins, -1, -1};
    case ZYDIS_MNEMONIC_OUTSB:
    case ZYDIS_MNEMONIC_OUTSW:
    case ZYDIS_MNEMONIC_OUTSD:
      return {Op::outs, -1, -1};
    case ZYDIS_MNEMONIC_CLI:
      return {Op::cli, -1, -1};
    case ZYDIS_MNEMONIC_STI:
      return {Op::sti, -1, -1};
    case ZYDIS_MNEMONIC_HLT:
      return {Op::hlt, -1, -1};
    case ZYDIS_MNEMONIC_LGDT:
      return {Op::lgdt, -1, -1};
    case ZYDIS_MNEMONIC_LIDT:
      return {Op::lidt, -1, -1};
    case ZYDIS_MNEMONIC_SGDT:
      return {Op::sgdt, -1, -1};
    case ZYDIS_MNEMONIC_SIDT:
      return {Op::sidt, -1, -1};
    case ZYDIS_MNEMONIC_LLDT:
      return {Op::lldt, -1, -1};
    case ZYDIS_MNEMONIC_LTR:
      return {Op::ltr, -1, -1};
    case ZYDIS_MNEMONIC_SLDT:
      return {Op::sldt, -1, -1};
    case ZYDIS_MNEMONIC_STR:
      return {Op::str, -1, -1};
    case ZYDIS_MNEMONIC_LMSW:
      return {Op::lmsw, -1, -1};
    case ZYDIS_MNEMONIC_SMSW:
      return {Op::smsw, -1, -1};
    case ZYDIS_MNEMONIC_CLTS:
      return {Op::clts, -1, -1};
    case ZYDIS_MNEMONIC_INVD:
      return {Op::invd, -1, -1};
    case ZYDIS_MNEMONIC_WBINVD:
      return {Op::wbinvd, -1, -1};
    case ZYDIS_MNEMONIC_INVLPG:
      return {Op::invlpg, -1, -1};
    case ZYDIS_MNEMONIC_RDMSR:
      return {Op::rdmsr, -1, -1};
    case ZYDIS_MNEMONIC_WRMSR:
      return {Op::wrmsr, -1, -1};
    case ZYDIS_MNEMONIC_RDTSC:
      return {Op::rdtsc, -1, -1};
    case ZYDIS_MNEMONIC_RDPMC:
      return {Op::rdpmc, -1, -1};
    case ZYDIS_MNEMONIC_CPUID:
      return {Op::cpuid, -1, -1};
    case ZYDIS_MNEMONIC_INT:
      return {Op::int_n, -1, -1};
    case ZYDIS_MNEMONIC_INT3:
      return {Op::int3, -1, -1};
    case ZYDIS_MNEMONIC_INTO:
      return {Op::into, -1, -1};
    case ZYDIS_MNEMONIC_IRET:
    case ZYDIS_MNEMONIC_IRETD:
      return {Op::iret, -1, -1};
    case ZYDIS_MNEMONIC_PUSHF:
    case ZYDIS_MNEMONIC_PUSHFD:
      return {Op::pushf, -1, -1};
    case ZYDIS_MNEMONIC_POPF:
    case ZYDIS_MNEMONIC_POPFD:
      return {Op::popf, -1, -1};
    case ZYDIS_MNEMONIC_SYSENTER:
      return {Op::sysenter, -1, -1};
    case ZYDIS_MNEMONIC_SYSEXIT:
      return {Op::sysexit, -1, -1};
    case ZYDIS_MNEMONIC_SYSCALL:
      return {Op::syscall, -1, -1};
    case ZYDIS_MNEMONIC_SYSRET:
      return {Op::sysret, -1, -1};
    case ZYDIS_MNEMONIC_UD2:
      return {Op::ud2, -1, -1};
    case ZYDIS_MNEMONIC_LES:
      return {Op::lds_les_lfs_lgs_lss, 0, -1};
    case ZYDIS_MNEMONIC_LSS:
      return {Op::lds_les_lfs_lgs_lss, 2, -1};
    case ZYDIS_MNEMONIC_LDS:
      return {Op::lds_les_lfs_lgs_lss, 3, -1};
    case ZYDIS_MNEMONIC_LFS:
      return {Op::lds_les_lfs_lgs_lss, 4, -1};
    case ZYDIS_MNEMONIC_LGS:
      return {Op::lds_les_lfs_lgs_lss, 5, -1};
    case ZYDIS_MNEMONIC_JMP:
      return {far ? Op::far_jmp : Op::other, -1, -1};
    case ZYDIS_MNEMONIC_CALL:
      return {far ? Op::far_call : Op::other, -1, -1};
    case ZYDIS_MNEMONIC_RET:
      return {far ? Op::far_ret : Op::other, -1, -1};
    case ZYDIS_MNEMONIC_MOV:
    case ZYDIS_MNEMONIC_POP: {
      ZydisDecodedInstruction full;
      ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
      if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, b, kOracleBytes, &full, ops))) break;
      const ZydisDecodedOperand& dst = ops[0];
      const ZydisDecodedOperand& src = ops[1];
      if (dst.type == ZYDIS_OPERAND_TYPE_REGISTER && sreg_of(dst.reg.value) >= 0) {
        const int s = sreg_of(dst.reg.value);
        return {zi.mnemonic == ZYDIS_MNEMONIC_POP ? Op::pop_sreg : Op::mov_to_sreg, s, -1};
      }
      if (zi.mnemonic == ZYDIS_MNEMONIC_POP) break;
      const ZydisRegister d =
          dst.type == ZYDIS_OPERAND_TYPE_REGISTER ? dst.reg.value : ZYDIS_REGISTER_NONE;
      const ZydisRegister s =
          src.type == ZYDIS_OPERAND_TYPE_REGISTER ? src.reg.value : ZYDIS_REGISTER_NONE;
      if (d >= ZYDIS_REGISTER_CR0 && d <= ZYDIS_REGISTER_CR15)
        return {Op::mov_to_cr, -1, d - ZYDIS_REGISTER_CR0};
      if (s >= ZYDIS_REGISTER_CR0 && s <= ZYDIS_REGISTER_CR15)
        return {Op::mov_from_cr, -1, s - ZYDIS_REGISTER_CR0};
      if (d >= ZYDIS_REGISTER_DR0 && d <= ZYDIS_REGISTER_DR15)
        return {Op::mov_to_dr, -1, d - ZYDIS_REGISTER_DR0};
      if (s >= ZYDIS_REGISTER_DR0 && s <= ZYDIS_REGISTER_DR15)
        return {Op::mov_from_dr, -1, s - ZYDIS_REGISTER_DR0};
      break;
    }
    default:
      break;
  }
  return {Op::other, -1, -1};
}

std::string hex(const std::uint8_t* b, std::size_t n) {
  std::string s;
  char buf[4];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%s%02X", i ? " " : "", b[i]);
    s += buf;
  }
  return s;
}

bool vex_class(const ZydisDecodedInstruction& zi) {
  return zi.encoding == ZYDIS_INSTRUCTION_ENCODING_VEX || zi.encoding == ZYDIS_INSTRUCTION_ENCODING_EVEX ||
         zi.encoding == ZYDIS_INSTRUCTION_ENCODING_XOP || zi.encoding == ZYDIS_INSTRUCTION_ENCODING_MVEX;
}

bool operands_agree(const ZydisDecoder& dec, const std::uint8_t* b, const ZydisDecodedInstruction& zi,
                    const Insn& in) {
  const ZydisExpect ex = expected_from_zydis(dec, b, zi);
  bool agree = in.op == ex.op && (ex.sreg < 0 || in.sreg == ex.sreg) && (ex.ctl_reg < 0 || in.reg == ex.ctl_reg);
  if (in.op == Op::in || in.op == Op::out || in.op == Op::ins || in.op == Op::outs)
    agree = agree && in.width * 8 == zi.operand_width;
  if (in.op == Op::iret || in.op == Op::pushf || in.op == Op::popf)
    agree = agree && in.opsize * 8 == zi.operand_width;
  return agree;
}

// Every shorter prefix refused, the exact length enough.
Outcome truncation(const std::uint8_t* b, bool default32, const Insn& in, std::size_t& checked) {
  for (std::size_t n = 0; n < in.length; ++n) {
    Insn t;
    ++checked;
    if (decode(b, n, t, default32) || t.op != Op::invalid) return Outcome::accepted_truncated;
  }
  Insn exact;
  if (!decode(b, in.length, exact, default32) || exact.length != in.length) return Outcome::needs_more_bytes;
  return Outcome::same;
}

}  // namespace

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::same: return "same";
    case Outcome::both_invalid: return "both invalid";
    case Outcome::vex_both: return "VEX-class both";
    case Outcome::vex_zydis_invalid: return "category A";
    case Outcome::ours_accepts_invalid: return "ours accepts what Zydis rejects";
    case Outcome::vex_mismatch: return "Zydis VEX/EVEX/XOP, ours not vex_unsupported";
    case Outcome::length: return "length";
    case Outcome::classification: return "classification";
    case Outcome::accepted_truncated: return "accepted when truncated";
    case Outcome::needs_more_bytes: return "needs bytes beyond its length";
  }
  return "?";
}

ZydisDecoder make_oracle(bool default32) {
  ZydisDecoder dec;
  ZydisDecoderInit(&dec, default32 ? ZYDIS_MACHINE_MODE_LEGACY_32 : ZYDIS_MACHINE_MODE_LEGACY_16,
                   default32 ? ZYDIS_STACK_WIDTH_32 : ZYDIS_STACK_WIDTH_16);
  return dec;
}

Verdict judge(const ZydisDecoder& dec, const std::uint8_t* b, bool default32, bool check_truncation) {
  Verdict v{};
  v.zydis_ok = ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&dec, nullptr, b, kOracleBytes, &v.theirs));
  const bool ok = decode(b, kOracleBytes, v.ours, default32);
  if (!v.zydis_ok) {
    v.outcome = !ok ? Outcome::both_invalid
                    : v.ours.op == Op::vex_unsupported ? Outcome::vex_zydis_invalid : Outcome::ours_accepts_invalid;
    return v;
  }
  if (vex_class(v.theirs)) {
    v.outcome = ok && v.ours.op == Op::vex_unsupported ? Outcome::vex_both : Outcome::vex_mismatch;
    return v;
  }
  if (!ok || v.ours.op == Op::vex_unsupported || v.ours.length != v.theirs.length) {
    v.outcome = Outcome::length;
    return v;
  }
  if (!operands_agree(dec, b, v.theirs, v.ours)) {
    v.outcome = Outcome::classification;
    return v;
  }
  v.outcome = check_truncation ? truncation(b, default32, v.ours, v.truncations) : Outcome::same;
  return v;
}

std::string describe(const Verdict& v, const std::uint8_t* b) {
  char line[256];
  std::snprintf(line, sizeof line, "%s: bytes %s | zydis len %u %s enc %d | ours len %u %s", outcome_name(v.outcome),
                hex(b, kOracleBytes).c_str(), v.zydis_ok ? v.theirs.length : 0u,
                v.zydis_ok ? ZydisMnemonicGetString(v.theirs.mnemonic) : "(invalid)",
                v.zydis_ok ? static_cast<int>(v.theirs.encoding) : -1, v.ours.length, x86::mnemonic(v.ours.op));
  return line;
}

}  // namespace gandalf::test
