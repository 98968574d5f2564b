// Fuzz target: Gandalf's IA-32 decoder (gandalf/core/x86_decoder.*), the first step of every
// #GP Gandalf emulates or reports, against Zydis as the oracle.
//
// Input: byte 0 picks the mode (bit 0 set: a 16-bit code segment), bytes 1..15 are the
// instruction (zero-padded), bytes 16..47 the eight general registers. Checked: the verdict
// of tests/support/zydis_oracle (length, validity, Op, segment register, CR/DR number, I/O
// width, truncation), and for a ModRM memory operand the offset and the segment the
// emulator would use, against Zydis's own address computation with the same registers.
#include <Zydis/Zydis.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "gandalf/core/x86_decoder.hpp"
#include "tests/support/zydis_oracle.hpp"

namespace {

using gandalf::test::judge;
using gandalf::test::kOracleBytes;
using gandalf::test::Outcome;
using gandalf::x86::Insn;
using gandalf::x86::Op;

[[noreturn]] void fail(const char* what, const std::uint8_t* b, const gandalf::test::Verdict& v) {
  std::fprintf(stderr, "fuzz_decoder: %s\n  %s\n", what, gandalf::test::describe(v, b).c_str());
  std::abort();
}

// The operand Zydis decoded from ModRM.rm as memory, or nullptr.
const ZydisDecodedOperand* modrm_memory(const ZydisDecodedOperand* ops, unsigned count) {
  for (unsigned i = 0; i < count; ++i)
    if (ops[i].type == ZYDIS_OPERAND_TYPE_MEMORY && ops[i].encoding == ZYDIS_OPERAND_ENCODING_MODRM_RM &&
        ops[i].mem.type != ZYDIS_MEMOP_TYPE_MIB && ops[i].mem.type != ZYDIS_MEMOP_TYPE_VSIB)
      return &ops[i];
  return nullptr;
}

void check_memory_operand(const ZydisDecoder& dec, const std::uint8_t* b, const gandalf::test::Verdict& v,
                          const std::uint32_t gpr[8]) {
  const Insn& in = v.ours;
  if (!in.has_modrm || in.mod == 3 || in.op == Op::mov_to_cr || in.op == Op::mov_from_cr ||
      in.op == Op::mov_to_dr || in.op == Op::mov_from_dr)
    return;
  ZydisDecodedInstruction zi;
  ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
  if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, b, kOracleBytes, &zi, ops))) fail("Zydis decodes only once", b, v);
  const ZydisDecodedOperand* mem = modrm_memory(ops, zi.operand_count);
  if (mem == nullptr) return;  // MIB/VSIB forms: not an address the emulator computes
  static ZydisRegisterContext regs;  // large: not on the stack
  std::memset(&regs, 0, sizeof regs);
  for (unsigned r = 0; r < 8; ++r) {
    regs.values[ZYDIS_REGISTER_EAX + r] = gpr[r];
    regs.values[ZYDIS_REGISTER_AX + r] = gpr[r] & 0xffffu;
  }
  ZyanU64 theirs = 0;
  if (!ZYAN_SUCCESS(ZydisCalcAbsoluteAddressEx(&zi, mem, 0, &regs, &theirs))) return;
  const std::uint32_t mask = in.addrsize == 2 ? 0xffffu : 0xffffffffu;
  const std::uint32_t ours = gandalf::x86::effective_address(in, gpr);
  if ((ours & mask) != ours) fail("effective address wider than the address size", b, v);
  if (ours != (static_cast<std::uint32_t>(theirs) & mask)) {
    std::fprintf(stderr, "fuzz_decoder: effective address %08x, Zydis %08llx\n", ours,
                 static_cast<unsigned long long>(theirs));
    fail("effective address", b, v);
  }
  // LEA computes an address without accessing memory: no segment applies (Zydis: AGEN).
  if (mem->mem.type == ZYDIS_MEMOP_TYPE_AGEN) return;
  // On an indirect jmp/call Zydis reads 3E as CET's NOTRACK and leaves it out of the segment;
  // the processor still applies it as the DS override (CET reuses the prefix). Not comparable.
  if ((zi.attributes & ZYDIS_ATTRIB_HAS_NOTRACK) != 0) return;
  const int seg = gandalf::x86::effective_segment(in);
  if (seg < 0 || seg > 5 || mem->mem.segment != ZYDIS_REGISTER_ES + seg) {
    std::fprintf(stderr, "fuzz_decoder: segment %d, Zydis %s\n", seg, ZydisRegisterGetString(mem->mem.segment));
    fail("effective segment", b, v);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const ZydisDecoder d32 = gandalf::test::make_oracle(true);
  static const ZydisDecoder d16 = gandalf::test::make_oracle(false);
  const bool default32 = (data[0] & 1) == 0;
  std::uint8_t b[kOracleBytes] = {};
  std::memcpy(b, data + 1, size - 1 < kOracleBytes ? size - 1 : kOracleBytes);
  std::uint32_t gpr[8] = {};
  if (size > 1 + kOracleBytes)
    std::memcpy(gpr, data + 1 + kOracleBytes, size - 1 - kOracleBytes < sizeof gpr ? size - 1 - kOracleBytes : sizeof gpr);
  const ZydisDecoder& dec = default32 ? d32 : d16;
  const gandalf::test::Verdict v = judge(dec, b, default32, true);
  if (gandalf::test::is_failure(v.outcome)) fail("disagrees with Zydis", b, v);
  if (v.outcome == Outcome::same) check_memory_operand(dec, b, v, gpr);
  return 0;
}
