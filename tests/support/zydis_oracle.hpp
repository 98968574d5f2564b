// Zydis as the oracle of Gandalf's IA-32 decoder (gandalf/core/x86_decoder.*): one verdict per
// 15-byte buffer, shared by the deterministic differential unit test (tests/unit) and the
// coverage-guided fuzzer (tests/fuzz), so both judge by the same rules.
#pragma once

#include <Zydis/Zydis.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "gandalf/core/x86_decoder.hpp"

namespace gandalf::test {

inline constexpr std::size_t kOracleBytes = 15;  // every buffer judged is this long

enum class Outcome {
  same,                  // Zydis legacy/3DNow! valid; ours: same length, same Op and operands
  both_invalid,          // Zydis rejects, ours rejects
  vex_both,              // Zydis VEX/EVEX/XOP/MVEX valid, ours vex_unsupported
  vex_zydis_invalid,     // documented category A: a VEX-class escape Zydis rejects (see docs)
  ours_accepts_invalid,  // Zydis rejects, ours decodes a legacy instruction
  vex_mismatch,          // Zydis VEX-class valid, ours something else
  length,                // lengths (or validity) differ on a Zydis-valid legacy encoding
  classification,        // same length, different Op / segment register / CR-DR / width
  accepted_truncated,    // a shorter prefix of a valid instruction was accepted
  needs_more_bytes,      // the exact length is not enough to decode it again
};

// True for every outcome that is a disagreement with the oracle.
constexpr bool is_failure(Outcome o) {
  return o != Outcome::same && o != Outcome::both_invalid && o != Outcome::vex_both &&
         o != Outcome::vex_zydis_invalid;
}

const char* outcome_name(Outcome o);

struct Verdict {
  Outcome outcome;
  x86::Insn ours;
  bool zydis_ok;
  ZydisDecodedInstruction theirs;
  std::size_t truncations;  // shorter copies checked
};

// A decoder in the mode Gandalf decodes for (CS.D = default32).
ZydisDecoder make_oracle(bool default32);

// Judges b[0 .. kOracleBytes). With check_truncation, every shorter prefix of a valid
// instruction must be refused and its exact length must be enough.
Verdict judge(const ZydisDecoder& oracle, const std::uint8_t* b, bool default32, bool check_truncation);

// "length: bytes 0F 01 ... | zydis len 3 lgdt enc 0 | ours ok len 3 lgdt": for reports.
std::string describe(const Verdict& v, const std::uint8_t* b);

}  // namespace gandalf::test
