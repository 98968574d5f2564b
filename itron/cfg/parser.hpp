// itron-cfg parser: static API calls "NAME ( arg, { a, b } ) ;" from located tokens.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "diagnostics.hpp"
#include "lexer.hpp"

namespace itron::cfg {

// A leaf argument: a C expression, kept as tokens and as text for the generated code.
struct Expr {
  std::vector<Token> tokens;
  std::string text;
  Location where;
};

// Joins tokens into C text, with a space where the source had whitespace.
[[nodiscard]] std::string join_tokens(const std::vector<Token>& tokens);

struct Argument {
  Location where;
  bool is_packet = false;
  std::vector<Expr> elements;  // the packet's elements, or the single expression
};

struct ApiCall {
  std::string name;
  Location where;
  std::vector<Argument> args;
  std::size_t order = 0;  // index of its first token, to merge with HeaderEntry::order
};

// Parses every static API call; syntax errors are reported and the parser resumes after
// the next ';'.
[[nodiscard]] std::vector<ApiCall> parse_static_apis(const std::vector<Token>& tokens,
                                                     Diagnostics& diagnostics);

}  // namespace itron::cfg
