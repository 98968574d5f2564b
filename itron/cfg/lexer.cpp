// itron-cfg lexer: C tokens of preprocessed text, located through GNU linemarkers
// (GCC manual, "Preprocessor Output": flag 1 enters a file, flag 2 returns to one).
#include "lexer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cctype>
#include <optional>

namespace itron::cfg {
namespace {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// Longest first, so that "<<=" wins over "<<" and "<".
constexpr std::array<std::string_view, 22> kPunctuators = {
    "<<=", ">>=", "...", "->", "++", "--", "<<", ">>", "<=", ">=", "==",
    "!=",  "&&",  "||",  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^="};

// Length of a pp-number starting at `pos` (C17 6.4.8: digits, letters, '.', e+ e- p+ p-).
std::size_t number_length(std::string_view text, std::size_t pos) {
  std::size_t end = pos + 1;
  while (end < text.size()) {
    const char c = text[end];
    const char prev = text[end - 1];
    const bool exponent_sign =
        (c == '+' || c == '-') && (prev == 'e' || prev == 'E' || prev == 'p' || prev == 'P');
    if (!is_ident_char(c) && c != '.' && !exponent_sign) break;
    ++end;
  }
  return end - pos;
}

// Length of a quoted literal starting at `pos` (which holds the quote); stops at line end.
std::size_t quoted_length(std::string_view text, std::size_t pos) {
  const char quote = text[pos];
  std::size_t end = pos + 1;
  while (end < text.size() && text[end] != quote && text[end] != '\n') {
    end += (text[end] == '\\' && end + 1 < text.size()) ? 2 : 1;
  }
  return std::min(end + 1, text.size()) - pos;
}

// An encoding prefix (L, u, U, u8) directly followed by a quote starts a literal.
std::size_t literal_prefix_length(std::string_view text, std::size_t pos) {
  for (std::string_view prefix : {"u8", "L", "u", "U"}) {
    const std::size_t after = pos + prefix.size();
    if (text.substr(pos, prefix.size()) == prefix && after < text.size() &&
        (text[after] == '"' || text[after] == '\'')) {
      return prefix.size();
    }
  }
  return 0;
}

std::size_t punctuator_length(std::string_view text, std::size_t pos) {
  for (std::string_view p : kPunctuators) {
    if (text.substr(pos, p.size()) == p) return p.size();
  }
  return 1;
}

// Classifies and measures the token starting at `pos` (not whitespace).
std::pair<TokenKind, std::size_t> scan_token(std::string_view text, std::size_t pos) {
  const char c = text[pos];
  if (const std::size_t prefix = literal_prefix_length(text, pos); prefix != 0) {
    const char quote = text[pos + prefix];
    return {quote == '"' ? TokenKind::string : TokenKind::character,
            prefix + quoted_length(text, pos + prefix)};
  }
  if (is_ident_start(c)) {
    std::size_t end = pos;
    while (end < text.size() && is_ident_char(text[end])) ++end;
    return {TokenKind::identifier, end - pos};
  }
  if (is_digit(c) || (c == '.' && pos + 1 < text.size() && is_digit(text[pos + 1]))) {
    return {TokenKind::number, number_length(text, pos)};
  }
  if (c == '"') return {TokenKind::string, quoted_length(text, pos)};
  if (c == '\'') return {TokenKind::character, quoted_length(text, pos)};
  return {TokenKind::punctuator, punctuator_length(text, pos)};
}

// Undoes the escapes GNU cpp writes into a linemarker's file name (\\, \" and octal).
std::string unescape_file_name(std::string_view quoted) {
  std::string out;
  for (std::size_t i = 0; i < quoted.size(); ++i) {
    if (quoted[i] != '\\' || i + 1 >= quoted.size()) {
      out += quoted[i];
      continue;
    }
    ++i;
    if (quoted[i] < '0' || quoted[i] > '7') {
      out += quoted[i];
      continue;
    }
    int value = 0;
    for (int n = 0; n < 3 && i < quoted.size() && quoted[i] >= '0' && quoted[i] <= '7'; ++n) {
      value = value * 8 + (quoted[i++] - '0');
    }
    --i;
    out += static_cast<char>(value);
  }
  return out;
}

struct Linemarker {
  std::uint32_t line;
  std::string file;
  bool enters = false;   // flag 1
  bool returns = false;  // flag 2
};

// Parses "# 12 "file" 1 3" (or "#line 12 "file""); nullopt for other directives.
std::optional<Linemarker> parse_linemarker(std::string_view line) {
  const std::vector<Token> tokens = tokenize(line, {});
  std::size_t i = 1;
  if (tokens.size() > 1 && tokens[1].text == "line") ++i;
  if (tokens.size() <= i + 1 || tokens[i].kind != TokenKind::number ||
      tokens[i + 1].kind != TokenKind::string) {
    return std::nullopt;
  }
  // A line is plain decimal digits that fit 32 bits; any other pp-number ("1e5", ".5", too
  // many digits) is no linemarker the preprocessor wrote.
  const std::string& digits = tokens[i].text;
  std::uint32_t number = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number, 10);
  if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  Linemarker marker{number, {}};
  const std::string& quoted = tokens[i + 1].text;
  marker.file = unescape_file_name(std::string_view(quoted).substr(1, quoted.size() - 2));
  for (std::size_t f = i + 2; f < tokens.size(); ++f) {
    marker.enters |= tokens[f].text == "1";
    marker.returns |= tokens[f].text == "2";
  }
  return marker;
}

bool is_real_file(std::string_view path) {
  return !path.empty() && !(path.front() == '<' && path.back() == '>');
}

// Follows the linemarkers: which file and line each output line comes from.
class UnitReader {
 public:
  void directive(std::string_view line) {
    const auto marker = parse_linemarker(line);
    if (!marker) {  // #pragma, #ident: no tokens for us
      ++line_;
      return;
    }
    if (marker->enters) enter(marker->file);
    if (marker->returns && stack_.size() > 1) stack_.pop_back();
    if (stack_.empty()) stack_.push_back(marker->file);
    stack_.back() = marker->file;
    line_ = marker->line;
    note_file(marker->file);
  }

  void text(std::string_view line) {
    if (!stack_.empty() && is_cfg_file(stack_.back())) {
      for (Token& token : tokenize(line, {stack_.back(), line_})) {
        unit_.tokens.push_back(std::move(token));
      }
    }
    ++line_;
  }

  PreprocessedUnit take() { return std::move(unit_); }

 private:
  void enter(const std::string& file) {
    // clang enters "<built-in>" from the .cfg before its first line: not a header.
    if (!stack_.empty() && is_cfg_file(stack_.back()) && !is_cfg_file(file) && is_real_file(file)) {
      unit_.headers.push_back({file, {stack_.back(), line_}, unit_.tokens.size()});
    }
    stack_.push_back(file);
  }

  void note_file(const std::string& file) {
    if (is_real_file(file) &&
        std::find(unit_.files.begin(), unit_.files.end(), file) == unit_.files.end()) {
      unit_.files.push_back(file);
    }
  }

  PreprocessedUnit unit_;
  std::vector<std::string> stack_;
  std::uint32_t line_ = 1;
};

}  // namespace

bool is_cfg_file(std::string_view path) { return path.ends_with(".cfg"); }

std::vector<Token> tokenize(std::string_view text, Location where) {
  std::vector<Token> tokens;
  bool space = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const char c = text[pos];
    if (c == '\n') ++where.line;
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
      ++pos;
      continue;
    }
    const auto [kind, length] = scan_token(text, pos);
    tokens.push_back({kind, std::string(text.substr(pos, length)), where, space});
    space = false;
    pos += length;
  }
  return tokens;
}

PreprocessedUnit read_preprocessed(std::string_view text) {
  UnitReader reader;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    const std::size_t first = line.find_first_not_of(" \t");
    if (first != std::string_view::npos && line[first] == '#') {
      reader.directive(line.substr(first));
    } else {
      reader.text(line);
    }
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
  }
  return reader.take();
}

}  // namespace itron::cfg
