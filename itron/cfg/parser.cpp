// itron-cfg parser: a hand-written recursive-descent parser of the static API syntax
// (μITRON 4.0 specification, section 2.4.4 "static API").
#include "parser.hpp"

#include <fmt/format.h>

#include <optional>

namespace itron::cfg {
namespace {

class Parser {
 public:
  Parser(const std::vector<Token>& tokens, Diagnostics& diagnostics)
      : tokens_(tokens), diagnostics_(diagnostics) {}

  std::vector<ApiCall> parse_all() {
    std::vector<ApiCall> calls;
    while (!at_end()) {
      if (auto call = parse_call()) {
        calls.push_back(std::move(*call));
      } else {
        skip_past_semicolon();
      }
    }
    return calls;
  }

 private:
  bool at_end() const { return pos_ >= tokens_.size(); }
  const Token& peek() const { return tokens_[pos_]; }
  bool next_is(std::string_view text) const {
    return !at_end() && peek().kind == TokenKind::punctuator && peek().text == text;
  }
  const Location& here() const { return at_end() ? tokens_.back().where : peek().where; }
  std::string describe_next() const {
    return at_end() ? "end of file" : fmt::format("'{}'", peek().text);
  }

  void syntax_error(const Location& where, const std::string& what) {
    diagnostics_.error(where, "syntax error: " + what);
  }

  void skip_past_semicolon() {
    while (!at_end() && !next_is(";")) ++pos_;
    if (!at_end()) ++pos_;
  }

  std::optional<ApiCall> parse_call() {
    if (peek().kind != TokenKind::identifier) {
      syntax_error(peek().where,
                   fmt::format("expected a static API call, found '{}'", peek().text));
      return std::nullopt;
    }
    ApiCall call{peek().text, peek().where, {}, pos_};
    ++pos_;
    if (!next_is("(")) {
      syntax_error(call.where,
                   fmt::format("expected '(' after {}, found {}", call.name, describe_next()));
      return std::nullopt;
    }
    ++pos_;
    if (!parse_arguments(call)) return std::nullopt;
    if (next_is(";")) {
      ++pos_;
    } else {  // report where the ';' is missing; the next token may start the next call
      syntax_error(tokens_[pos_ - 1].where, fmt::format("expected ';' after {}(...)", call.name));
    }
    return call;
  }

  // After '(': arguments up to and including the matching ')'.
  bool parse_arguments(ApiCall& call) {
    if (next_is(")")) {
      ++pos_;
      return true;
    }
    for (;;) {
      auto argument = parse_argument(call.name);
      if (!argument) return false;
      call.args.push_back(std::move(*argument));
      if (next_is(")")) {
        ++pos_;
        return true;
      }
      if (!next_is(",")) {
        syntax_error(
            here(), fmt::format("expected ',' or ')' in {}, found {}", call.name, describe_next()));
        return false;
      }
      ++pos_;
    }
  }

  std::optional<Argument> parse_argument(const std::string& api) {
    if (at_end()) {
      syntax_error(here(), fmt::format("unexpected end of file in {}", api));
      return std::nullopt;
    }
    Argument argument{peek().where, false, {}};
    if (next_is("{")) {
      argument.is_packet = true;
      ++pos_;
      return parse_packet_elements(api, argument) ? std::optional(std::move(argument))
                                                  : std::nullopt;
    }
    auto expr = parse_expression(api, ")");
    if (!expr) return std::nullopt;
    argument.elements.push_back(std::move(*expr));
    return argument;
  }

  // After '{': elements up to and including the matching '}'.
  bool parse_packet_elements(const std::string& api, Argument& packet) {
    if (next_is("}")) {
      ++pos_;
      return true;
    }
    for (;;) {
      auto expr = parse_expression(api, "}");
      if (!expr) return false;
      packet.elements.push_back(std::move(*expr));
      if (next_is("}")) {
        ++pos_;
        return true;
      }
      ++pos_;  // parse_expression stopped at ','
    }
  }

  // Tokens up to a ',' or `closer` outside parentheses and brackets.
  std::optional<Expr> parse_expression(const std::string& api, std::string_view closer) {
    Expr expr{{}, {}, here()};
    int depth = 0;
    for (; !at_end(); ++pos_) {
      const Token& token = peek();
      const bool punct = token.kind == TokenKind::punctuator;
      if (punct && depth == 0 && (token.text == "," || token.text == closer)) break;
      if (punct && (token.text == "{" || token.text == "}" || token.text == ";" ||
                    (depth == 0 && (token.text == ")" || token.text == "]")))) {
        syntax_error(token.where, fmt::format("unbalanced '{}' in {}", token.text, api));
        return std::nullopt;
      }
      if (punct && (token.text == "(" || token.text == "[")) ++depth;
      if (punct && (token.text == ")" || token.text == "]")) --depth;
      expr.tokens.push_back(token);
    }
    if (at_end()) {
      syntax_error(expr.where, fmt::format("unexpected end of file in {}", api));
      return std::nullopt;
    }
    if (expr.tokens.empty()) {
      syntax_error(expr.where, fmt::format("empty argument in {}", api));
      return std::nullopt;
    }
    expr.text = join_tokens(expr.tokens);
    return expr;
  }

  const std::vector<Token>& tokens_;
  Diagnostics& diagnostics_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string join_tokens(const std::vector<Token>& tokens) {
  std::string text;
  for (const Token& token : tokens) {
    if (token.space_before && !text.empty()) text += ' ';
    text += token.text;
  }
  return text;
}

std::vector<ApiCall> parse_static_apis(const std::vector<Token>& tokens, Diagnostics& diagnostics) {
  return Parser(tokens, diagnostics).parse_all();
}

}  // namespace itron::cfg
