// itron-cfg evaluator: a precedence-climbing evaluator of C integer constant expressions
// (C17 6.6), enough for the values written in static API calls.
#include "evaluator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

namespace itron::cfg {
namespace {

constexpr auto kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// Binding strength of each binary operator (C17 6.5.5 to 6.5.14); 0 for other tokens.
int precedence(std::string_view op) {
  static constexpr std::array<std::string_view, 10> levels = {
      " || ", " && ", " | ", " ^ ", " & ", " == != ", " < <= > >= ", " << >> ", " + - ", " * / % "};
  const std::string padded = fmt::format(" {} ", op);
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i].find(padded) != std::string_view::npos) return static_cast<int>(i) + 1;
  }
  return 0;
}

// Names that make a parenthesized identifier list a type, hence a cast.
bool is_type_word(std::string_view word) {
  static constexpr std::array<std::string_view, 28> words = {
      "void",   "char",     "short", "int",   "long",   "signed", "unsigned",
      "const",  "volatile", "_Bool", "bool",  "struct", "union",  "enum",
      "ATR",    "PRI",      "ID",    "SIZE",  "MODE",   "STAT",   "TMO",
      "RELTIM", "INTNO",    "INHNO", "EXCNO", "FLGPTN", "TEXPTN", "VP_INT"};
  return std::find(words.begin(), words.end(), word) != words.end() || word.ends_with("_t") ||
         word.ends_with("_T");
}

Value make_bool(bool b) { return {b ? 1 : 0, false}; }

std::optional<Value> apply_unary(std::string_view op, Value v) {
  const auto bits = static_cast<std::uint64_t>(v.value);
  if (op == "+") return v;
  if (op == "!") return make_bool(v.value == 0);
  if (op == "~") return Value{static_cast<std::int64_t>(~bits), v.is_unsigned};
  if (v.is_unsigned) return Value{static_cast<std::int64_t>(0 - bits), true};
  if (v.value == std::numeric_limits<std::int64_t>::min()) return std::nullopt;
  return Value{-v.value, false};
}

std::optional<Value> apply_shift(std::string_view op, Value a, Value b) {
  if (b.value < 0 || b.value >= 64) return std::nullopt;
  const auto bits = static_cast<std::uint64_t>(a.value);
  if (op == "<<") return Value{static_cast<std::int64_t>(bits << b.value), a.is_unsigned};
  if (a.is_unsigned) return Value{static_cast<std::int64_t>(bits >> b.value), true};
  return Value{a.value >> b.value, false};
}

std::optional<Value> apply_comparison(std::string_view op, Value a, Value b, bool as_unsigned) {
  const auto ua = static_cast<std::uint64_t>(a.value);
  const auto ub = static_cast<std::uint64_t>(b.value);
  auto compare = [&](auto x, auto y) -> std::optional<Value> {
    if (op == "==") return make_bool(x == y);
    if (op == "!=") return make_bool(x != y);
    if (op == "<") return make_bool(x < y);
    if (op == "<=") return make_bool(x <= y);
    if (op == ">") return make_bool(x > y);
    return make_bool(x >= y);
  };
  return as_unsigned ? compare(ua, ub) : compare(a.value, b.value);
}

std::optional<Value> apply_arithmetic(std::string_view op, Value a, Value b, bool as_unsigned) {
  const auto ua = static_cast<std::uint64_t>(a.value);
  const auto ub = static_cast<std::uint64_t>(b.value);
  if ((op == "/" || op == "%") && ub == 0) return std::nullopt;
  if (as_unsigned) {
    std::uint64_t r = 0;
    if (op == "+") r = ua + ub;
    if (op == "-") r = ua - ub;
    if (op == "*") r = ua * ub;
    if (op == "/") r = ua / ub;
    if (op == "%") r = ua % ub;
    if (op == "&") r = ua & ub;
    if (op == "|") r = ua | ub;
    if (op == "^") r = ua ^ ub;
    return Value{static_cast<std::int64_t>(r), true};
  }
  std::int64_t r = 0;
  bool overflow = false;
  if (op == "+") overflow = __builtin_add_overflow(a.value, b.value, &r);
  if (op == "-") overflow = __builtin_sub_overflow(a.value, b.value, &r);
  if (op == "*") overflow = __builtin_mul_overflow(a.value, b.value, &r);
  if (op == "/" || op == "%") {
    overflow = a.value == std::numeric_limits<std::int64_t>::min() && b.value == -1;
    if (!overflow) r = op == "/" ? a.value / b.value : a.value % b.value;
  }
  if (op == "&") r = a.value & b.value;
  if (op == "|") r = a.value | b.value;
  if (op == "^") r = a.value ^ b.value;
  return overflow ? std::nullopt : std::optional(Value{r, false});
}

std::optional<Value> apply_binary(std::string_view op, Value a, Value b) {
  if (op == "&&") return make_bool(a.value != 0 && b.value != 0);
  if (op == "||") return make_bool(a.value != 0 || b.value != 0);
  if (op == "<<" || op == ">>") return apply_shift(op, a, b);
  const bool as_unsigned = a.is_unsigned || b.is_unsigned;
  if (precedence(op) == 6 || precedence(op) == 7) return apply_comparison(op, a, b, as_unsigned);
  return apply_arithmetic(op, a, b, as_unsigned);
}

class Evaluator {
 public:
  explicit Evaluator(const std::vector<Token>& tokens) : tokens_(tokens) {}

  std::optional<Value> run() {
    auto value = conditional();
    return pos_ == tokens_.size() ? value : std::nullopt;
  }

 private:
  bool next_is(std::string_view text, std::size_t at) const {
    return at < tokens_.size() && tokens_[at].kind == TokenKind::punctuator &&
           tokens_[at].text == text;
  }
  bool accept(std::string_view text) {
    if (!next_is(text, pos_)) return false;
    ++pos_;
    return true;
  }

  std::optional<Value> conditional() {
    auto condition = binary(1);
    if (!condition || !accept("?")) return condition;
    auto if_true = conditional();
    if (!if_true || !accept(":")) return std::nullopt;
    auto if_false = conditional();
    if (!if_false) return std::nullopt;
    return condition->value != 0 ? if_true : if_false;
  }

  std::optional<Value> binary(int min_level) {
    auto left = unary();
    while (left && pos_ < tokens_.size() && tokens_[pos_].kind == TokenKind::punctuator) {
      const std::string op = tokens_[pos_].text;
      const int level = precedence(op);
      if (level < min_level || level == 0) break;
      ++pos_;
      auto right = binary(level + 1);
      if (!right) return std::nullopt;
      left = apply_binary(op, *left, *right);
    }
    return left;
  }

  std::optional<Value> unary() {
    if (pos_ >= tokens_.size()) return std::nullopt;
    const std::string& text = tokens_[pos_].text;
    if (tokens_[pos_].kind == TokenKind::punctuator &&
        (text == "+" || text == "-" || text == "~" || text == "!")) {
      ++pos_;
      auto operand = unary();
      return operand ? apply_unary(text, *operand) : std::nullopt;
    }
    if (const std::size_t after = cast_end(); after != 0) {
      pos_ = after;
      return unary();
    }
    return primary();
  }

  // If a cast "(type-name)" starts here, the position after its ')'; otherwise 0.
  std::size_t cast_end() const {
    if (!next_is("(", pos_)) return 0;
    std::size_t at = pos_ + 1;
    bool typeish = false;
    bool any_word = false;
    for (; at < tokens_.size() && !next_is(")", at); ++at) {
      const Token& token = tokens_[at];
      if (token.kind == TokenKind::identifier) {
        any_word = true;
        typeish |= is_type_word(token.text);
      } else if (token.text == "*") {
        typeish = true;
      } else {
        return 0;
      }
    }
    if (!any_word || at + 1 >= tokens_.size()) return 0;
    const Token& next = tokens_[at + 1];
    const bool starts_operand = next.kind == TokenKind::number ||
                                next.kind == TokenKind::identifier || next.text == "(" ||
                                next.text == "~" || next.text == "!";
    const bool signed_operand = next.text == "+" || next.text == "-";
    return (starts_operand || (typeish && signed_operand)) ? at + 1 : 0;
  }

  std::optional<Value> primary() {
    const Token& token = tokens_[pos_];
    if (accept("(")) {
      auto inner = conditional();
      return accept(")") ? inner : std::nullopt;
    }
    ++pos_;
    if (token.kind == TokenKind::number) return parse_integer_literal(token.text);
    if (token.text == "true" || token.text == "false") return make_bool(token.text == "true");
    return std::nullopt;  // an identifier, sizeof, a string: not constant for the tool
  }

  const std::vector<Token>& tokens_;
  std::size_t pos_ = 0;
};

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

}  // namespace

std::optional<Value> parse_integer_literal(std::string_view text) {
  const std::size_t suffix_at = text.find_last_not_of("uUlL");
  if (suffix_at == std::string_view::npos) return std::nullopt;
  const std::string_view suffix = text.substr(suffix_at + 1);
  std::string_view digits = text.substr(0, suffix_at + 1);
  unsigned base = 10;
  if (digits.size() > 2 && (digits.starts_with("0x") || digits.starts_with("0X"))) {
    base = 16;
    digits.remove_prefix(2);
  } else if (digits.size() > 2 && (digits.starts_with("0b") || digits.starts_with("0B"))) {
    base = 2;
    digits.remove_prefix(2);
  } else if (digits.size() > 1 && digits.front() == '0') {
    base = 8;
  }
  std::uint64_t value = 0;
  for (const char c : digits) {
    const auto d = static_cast<unsigned>(digit_value(c));
    if (d >= base || __builtin_mul_overflow(value, base, &value) ||
        __builtin_add_overflow(value, d, &value)) {
      return std::nullopt;
    }
  }
  const bool is_unsigned = suffix.find_first_of("uU") != std::string_view::npos;
  return Value{static_cast<std::int64_t>(value), is_unsigned || value > kInt64Max};
}

std::optional<Value> evaluate(const std::vector<Token>& tokens) {
  if (tokens.empty()) return std::nullopt;
  return Evaluator(tokens).run();
}

std::optional<Value> evaluate(std::string_view text) { return evaluate(tokenize(text, {})); }

}  // namespace itron::cfg
