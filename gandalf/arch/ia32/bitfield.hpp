// Declared bit fields for hardware words: a field names its position, the builder does the shifts.
#pragma once

#include <cstdint>

namespace gandalf::ia32 {

// A field of `Width` bits starting at bit `Lsb` of a `Word`.
template <typename Word, unsigned Lsb, unsigned Width>
struct Field {
  static_assert(Width > 0 && Lsb + Width <= sizeof(Word) * 8, "field outside its word");
  static constexpr Word max = Width == sizeof(Word) * 8 ? ~Word{0} : (Word{1} << Width) - 1;
  static constexpr Word mask = static_cast<Word>(max << Lsb);

  static constexpr Word encode(Word value) { return static_cast<Word>((value & max) << Lsb); }
  static constexpr Word decode(Word word) { return static_cast<Word>((word >> Lsb) & max); }
  static constexpr Word replace(Word word, Word value) {
    return static_cast<Word>((word & ~mask) | encode(value));
  }
};

template <typename Word, unsigned Bit>
using Flag = Field<Word, Bit, 1>;

}  // namespace gandalf::ia32
