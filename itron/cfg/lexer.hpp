// itron-cfg lexer: C tokens of preprocessed text, located through GNU linemarkers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.hpp"

namespace itron::cfg {

enum class TokenKind { identifier, number, string, character, punctuator };

struct Token {
  TokenKind kind;
  std::string text;
  Location where;
  bool space_before = false;  // whitespace separated it from the previous token
};

// A header the preprocessor entered directly from a .cfg file (an #include line there).
struct HeaderEntry {
  std::string path;   // as the linemarker spells it
  Location where;     // the #include line in the .cfg
  std::size_t order;  // number of .cfg tokens before it, to merge with the static APIs
};

// What one preprocessor run produced.
struct PreprocessedUnit {
  std::vector<Token> tokens;         // tokens located in .cfg files; header text is ignored
  std::vector<HeaderEntry> headers;  // in order of appearance
  std::vector<std::string> files;    // every real file read (no <built-in>), first time order
};

// True for the configuration files themselves: their text holds static API calls.
[[nodiscard]] bool is_cfg_file(std::string_view path);

// Tokens of C text; a newline advances the line of `where`.
[[nodiscard]] std::vector<Token> tokenize(std::string_view text, Location where);

// Splits `cc -E` output into located tokens, following `# LINE "FILE" FLAGS` markers.
[[nodiscard]] PreprocessedUnit read_preprocessed(std::string_view text);

}  // namespace itron::cfg
