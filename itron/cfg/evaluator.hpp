// itron-cfg evaluator: integer constant expressions over the preprocessed token text.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "lexer.hpp"

namespace itron::cfg {

// A C integer value, widened to 64 bits; unsigned if a U suffix or an unsigned operand made
// it so (the usual arithmetic conversions).
struct Value {
  std::int64_t value = 0;
  bool is_unsigned = false;
  friend bool operator==(const Value&, const Value&) = default;
};

// A C integer literal: decimal, 0x hex, 0b binary or octal, with u/U/l/L suffixes.
[[nodiscard]] std::optional<Value> parse_integer_literal(std::string_view text);

// The value of a constant expression, or nullopt when it is not constant for the tool:
// it names an identifier (an enumerator, a variable, sizeof) or would be undefined in C
// (division by zero, overflow, an out-of-range shift) or is not an expression at all.
// Casts such as (ATR) or (unsigned int) are accepted and ignored.
[[nodiscard]] std::optional<Value> evaluate(const std::vector<Token>& tokens);
[[nodiscard]] std::optional<Value> evaluate(std::string_view text);

}  // namespace itron::cfg
