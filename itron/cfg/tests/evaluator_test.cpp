// Unit tests of the constant-expression evaluator.
#include "evaluator.hpp"

#include <gtest/gtest.h>

namespace itron::cfg {
namespace {

std::int64_t value_of(std::string_view text) {
  const auto value = evaluate(text);
  EXPECT_TRUE(value.has_value()) << text;
  return value ? value->value : -999;
}

TEST(IntegerLiteral, BasesAndSuffixes) {
  EXPECT_EQ(parse_integer_literal("42"), (Value{42, false}));
  EXPECT_EQ(parse_integer_literal("0x1F"), (Value{31, false}));
  EXPECT_EQ(parse_integer_literal("017"), (Value{15, false}));
  EXPECT_EQ(parse_integer_literal("0"), (Value{0, false}));
  EXPECT_EQ(parse_integer_literal("0b101"), (Value{5, false}));
  EXPECT_EQ(parse_integer_literal("0x02U"), (Value{2, true}));
  EXPECT_EQ(parse_integer_literal("10UL"), (Value{10, true}));
  EXPECT_EQ(parse_integer_literal("10ll"), (Value{10, false}));
}

TEST(IntegerLiteral, RejectsNonIntegers) {
  EXPECT_FALSE(parse_integer_literal("1.5"));
  EXPECT_FALSE(parse_integer_literal("1e3"));
  EXPECT_FALSE(parse_integer_literal("08"));
  EXPECT_FALSE(parse_integer_literal("0x"));
  EXPECT_FALSE(parse_integer_literal("99999999999999999999999"));
}

TEST(Evaluate, PrecedenceAndAssociativity) {
  EXPECT_EQ(value_of("1 + 2 * 3"), 7);
  EXPECT_EQ(value_of("(1 + 2) * 3"), 9);
  EXPECT_EQ(value_of("10 - 3 - 2"), 5);
  EXPECT_EQ(value_of("100 / 10 / 5"), 2);
  EXPECT_EQ(value_of("17 % 5"), 2);
  EXPECT_EQ(value_of("1 << 4 | 1"), 17);
  EXPECT_EQ(value_of("0xF0 >> 4 & 0x3"), 3);
  EXPECT_EQ(value_of("6 ^ 3"), 5);
  EXPECT_EQ(value_of("1 + 2 == 3 && 4 > 3"), 1);
  EXPECT_EQ(value_of("0 || 2 < 1"), 0);
}

TEST(Evaluate, UnaryAndComparisons) {
  EXPECT_EQ(value_of("-15"), -15);
  EXPECT_EQ(value_of("(-1)"), -1);
  EXPECT_EQ(value_of("+3"), 3);
  EXPECT_EQ(value_of("!0"), 1);
  EXPECT_EQ(value_of("!7"), 0);
  EXPECT_EQ(value_of("~0 & 0xff"), 0xff);
  EXPECT_EQ(value_of("3 <= 3"), 1);
  EXPECT_EQ(value_of("3 >= 4"), 0);
  EXPECT_EQ(value_of("3 != 4"), 1);
}

TEST(Evaluate, UnsignedArithmetic) {
  const auto v = evaluate("0x02U | 0x04U");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->value, 6);
  EXPECT_TRUE(v->is_unsigned);
  EXPECT_EQ(value_of("-1 < 0U"), 0);  // -1 converts to a huge unsigned value, as in C
  EXPECT_EQ(value_of("-1 < 0"), 1);
}

TEST(Evaluate, Conditional) {
  EXPECT_EQ(value_of("1 ? 10 : 20"), 10);
  EXPECT_EQ(value_of("0 ? 10 : 20"), 20);
  EXPECT_EQ(value_of("0 ? 1 : 0 ? 2 : 3"), 3);
}

TEST(Evaluate, CastsAreIgnored) {
  EXPECT_EQ(value_of("(ATR)(0x02U)"), 2);
  EXPECT_EQ(value_of("(unsigned int)5"), 5);
  EXPECT_EQ(value_of("(uint_t)((10) - 1)"), 9);
  EXPECT_EQ(value_of("((void *)0)"), 0);
  EXPECT_EQ(value_of("(int)-3"), -3);
  EXPECT_EQ(value_of("(4) - 1"), 3);  // a parenthesized number, not a cast
}

TEST(Evaluate, NotConstant) {
  EXPECT_FALSE(evaluate("MY_ENUM"));
  EXPECT_FALSE(evaluate("MY_ENUM + 1"));
  EXPECT_FALSE(evaluate("sizeof(int)"));
  EXPECT_FALSE(evaluate("(FOO) - 1"));
  EXPECT_FALSE(evaluate("task1"));
  EXPECT_FALSE(evaluate("\"text\""));
}

TEST(Evaluate, UndefinedOperationsAreNotConstant) {
  EXPECT_FALSE(evaluate("1 / 0"));
  EXPECT_FALSE(evaluate("1 % 0"));
  EXPECT_FALSE(evaluate("1 << 64"));
  EXPECT_FALSE(evaluate("1 << -1"));
  EXPECT_FALSE(evaluate("0x7fffffffffffffff + 1"));
}

TEST(Evaluate, MalformedIsNotConstant) {
  EXPECT_FALSE(evaluate(""));
  EXPECT_FALSE(evaluate("1 +"));
  EXPECT_FALSE(evaluate("(1"));
  EXPECT_FALSE(evaluate("1 2"));
  EXPECT_FALSE(evaluate("1 ? 2"));
  EXPECT_FALSE(evaluate("(1, 2)"));
}

}  // namespace
}  // namespace itron::cfg
