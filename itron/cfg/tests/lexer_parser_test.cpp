// Unit tests of the linemarker-following lexer and the static API parser.
#include <gtest/gtest.h>

#include "lexer.hpp"
#include "parser.hpp"

namespace itron::cfg {
namespace {

constexpr std::string_view kOutput =
    "# 0 \"app.cfg\"\n"
    "# 0 \"<built-in>\"\n"
    "# 1 \"/usr/include/stdc-predef.h\" 1 3 4\n"
    "# 0 \"<command-line>\" 2\n"
    "# 1 \"app.cfg\"\n"
    "# 1 \"sample1.h\" 1\n"
    "typedef int ignored_t;\n"
    "# 1 \"kernel.h\" 1\n"
    "# 2 \"sample1.h\" 2\n"
    "# 2 \"app.cfg\" 2\n"
    "CRE_SEM(S1, { 0x01U, 0, 1 });\n"
    "\n"
    "ATT_INI({ 0, 0, init });\n";

TEST(Lexer, TokensCarryOriginalFileAndLine) {
  const auto tokens = tokenize("a  +\n0x1F \"s,t\" 'c' <<=", {"f.cfg", 7});
  ASSERT_EQ(tokens.size(), 6U);
  EXPECT_EQ(tokens[0].text, "a");
  EXPECT_EQ(tokens[1].text, "+");
  EXPECT_TRUE(tokens[1].space_before);
  EXPECT_EQ(tokens[2].kind, TokenKind::number);
  EXPECT_EQ(tokens[2].where.line, 8U);
  EXPECT_EQ(tokens[3].kind, TokenKind::string);
  EXPECT_EQ(tokens[3].text, "\"s,t\"");
  EXPECT_EQ(tokens[4].kind, TokenKind::character);
  EXPECT_EQ(tokens[5].text, "<<=");
}

TEST(Lexer, FollowsLinemarkersAndIgnoresHeaders) {
  const PreprocessedUnit unit = read_preprocessed(kOutput);
  ASSERT_FALSE(unit.tokens.empty());
  for (const Token& token : unit.tokens) EXPECT_EQ(token.where.file, "app.cfg");
  EXPECT_EQ(unit.tokens.front().text, "CRE_SEM");
  EXPECT_EQ(unit.tokens.front().where.line, 2U);
  EXPECT_EQ(unit.tokens.back().where.line, 4U);
}

// Found by fuzz_itron_cfg: a directive whose line number is a pp-number that is not a plain
// decimal line ("1e5", ".5", one beyond 2^64) made std::stoul throw out of the configurator.
// Such a directive is not a linemarker: skipped like #pragma, the text around it still read.
TEST(Lexer, DirectiveWithAnOddLineNumberIsNotALinemarker) {
  for (const char* number : {".5", "1e5", "0x10", "99999999999999999999999", "4294967296"}) {
    const std::string text = std::string("# 1 \"app.cfg\"\nCRE_SEM(A, {0, 1, 1});\n# ") + number +
                             " \"app.cfg\"\nCRE_SEM(B, {0, 1, 1});\n";
    const PreprocessedUnit unit = read_preprocessed(text);
    ASSERT_FALSE(unit.tokens.empty()) << number;
    EXPECT_EQ(unit.tokens.front().where.line, 1U) << number;
    EXPECT_EQ(unit.tokens.back().where.file, "app.cfg") << number;
    EXPECT_EQ(unit.tokens.back().where.line, 3U) << number;  // counted on, as after #pragma
  }
}

TEST(Lexer, RecordsHeadersEnteredDirectlyFromTheCfg) {
  const PreprocessedUnit unit = read_preprocessed(kOutput);
  ASSERT_EQ(unit.headers.size(), 1U);  // kernel.h was entered from sample1.h
  EXPECT_EQ(unit.headers[0].path, "sample1.h");
  EXPECT_EQ(unit.headers[0].where.line, 1U);
  EXPECT_EQ(unit.headers[0].order, 0U);
  const std::vector<std::string> files = {"app.cfg", "/usr/include/stdc-predef.h", "sample1.h",
                                          "kernel.h"};
  EXPECT_EQ(unit.files, files);
}

TEST(Lexer, ClangLinemarkers) {
  constexpr std::string_view output =
      "# 1 \"a.cfg\"\n"
      "# 1 \"<built-in>\" 1\n"
      "# 1 \"<built-in>\" 3\n"
      "# 361 \"<built-in>\" 3\n"
      "# 1 \"<command line>\" 1\n"
      "# 1 \"<built-in>\" 2\n"
      "# 1 \"a.cfg\" 2\n"
      "# 1 \"./s.h\" 1\n"
      "# 2 \"a.cfg\" 2\n"
      "CRE_SEM(S, {0, 0, 1});\n";
  const PreprocessedUnit unit = read_preprocessed(output);
  ASSERT_EQ(unit.headers.size(), 1U);
  EXPECT_EQ(unit.headers[0].path, "./s.h");
  EXPECT_EQ(unit.files, (std::vector<std::string>{"a.cfg", "./s.h"}));
  ASSERT_FALSE(unit.tokens.empty());
  EXPECT_EQ(unit.tokens[0].where.line, 2U);
}

TEST(Parser, CallsWithPacketsAndNestedParentheses) {
  Diagnostics diagnostics;
  const auto tokens =
      tokenize("CRE_TSK(T1, { (ATR)(1|2), f(a, b), \"x,y\" });\nINCLUDE(<k.h>);", {"a.cfg", 1});
  const auto calls = parse_static_apis(tokens, diagnostics);
  EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.render();
  ASSERT_EQ(calls.size(), 2U);
  ASSERT_EQ(calls[0].args.size(), 2U);
  EXPECT_FALSE(calls[0].args[0].is_packet);
  ASSERT_TRUE(calls[0].args[1].is_packet);
  ASSERT_EQ(calls[0].args[1].elements.size(), 3U);
  EXPECT_EQ(calls[0].args[1].elements[0].text, "(ATR)(1|2)");
  EXPECT_EQ(calls[0].args[1].elements[1].text, "f(a, b)");
  EXPECT_EQ(calls[1].args[0].elements[0].text, "<k.h>");
  EXPECT_EQ(calls[1].where.line, 2U);
}

TEST(Parser, MissingSemicolonIsReportedAndParsingResumes) {
  Diagnostics diagnostics;
  const auto tokens = tokenize("CRE_SEM(S1, { 0, 0, 1 })\nCRE_SEM(S2, { 0, 0, 1 });", {"a.cfg", 1});
  const auto calls = parse_static_apis(tokens, diagnostics);
  EXPECT_EQ(calls.size(), 2U);
  EXPECT_EQ(diagnostics.render(),
            "a.cfg:1: error: syntax error: expected ';' after CRE_SEM(...)\n");
}

TEST(Parser, StrayTokensAndUnbalancedBraces) {
  Diagnostics diagnostics;
  const auto tokens =
      tokenize("42;\nCRE_SEM(S1, { 0, 0, 1 );\nCRE_SEM(S2, {0,0,1});", {"a.cfg", 1});
  const auto calls = parse_static_apis(tokens, diagnostics);
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_EQ(calls[0].args[0].elements[0].text, "S2");
  EXPECT_EQ(diagnostics.count(), 2U);
  EXPECT_NE(diagnostics.render().find("a.cfg:1: error: syntax error: expected a static API"),
            std::string::npos);
  EXPECT_NE(diagnostics.render().find("a.cfg:2: error: syntax error: unbalanced ')'"),
            std::string::npos);
}

TEST(Parser, EndOfFileInsideACall) {
  Diagnostics diagnostics;
  const auto calls = parse_static_apis(tokenize("CRE_SEM(S1, { 0,", {"a.cfg", 3}), diagnostics);
  EXPECT_TRUE(calls.empty());
  EXPECT_EQ(diagnostics.render(),
            "a.cfg:3: error: syntax error: unexpected end of file in CRE_SEM\n");
}

}  // namespace
}  // namespace itron::cfg
