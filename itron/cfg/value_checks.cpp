// itron-cfg value checks: E_PAR / E_RSATR / E_OBJ findings, in the tool or as static_asserts.
#include "value_checks.hpp"

#include <fmt/format.h>

#include "evaluator.hpp"

namespace itron::cfg {
namespace {

std::string bound_text(Bound bound) {
  return bound.macro.empty() ? std::to_string(bound.value) : std::string(bound.macro);
}

std::string range_text(Bound lo, std::optional<Bound> hi, bool symbolic) {
  const auto show = [symbolic](Bound b) {
    return symbolic ? bound_text(b) : std::to_string(b.value);
  };
  return hi ? fmt::format("{}..{}", show(lo), show(*hi)) : fmt::format("{}..", show(lo));
}

}  // namespace

const std::string_view kCheckHelpers =
    "\n/* Helpers of the checks the configurator leaves to the compiler. */\n"
    "namespace {\n"
    "using cfg_int = long long;\n"
    "using cfg_bits = unsigned long long;\n"
    "[[maybe_unused]] constexpr bool cfg_at_least(cfg_int v, cfg_int low) { return v >= low; }\n"
    "[[maybe_unused]] constexpr bool cfg_in_range(cfg_int v, cfg_int low, cfg_int high) {\n"
    "  return v >= low && v <= high;\n"
    "}\n"
    "[[maybe_unused]] constexpr bool cfg_not_above(cfg_int a, cfg_int b) { return a <= b; }\n"
    "[[maybe_unused]] constexpr bool cfg_only_bits(cfg_bits v, cfg_bits allowed) {\n"
    "  return (v & ~allowed) == 0U;\n"
    "}\n"
    "[[maybe_unused]] constexpr bool cfg_differ(cfg_int a, cfg_int b) { return a != b; }\n"
    "}  // namespace\n";

bool is_null(const Expr& expr) {
  if (expr.text == "NULL" || expr.text == "nullptr") return true;
  const auto value = evaluate(expr.tokens);
  return value && value->value == 0;
}

void ValueChecks::defer(const Expr& expr, std::string condition, std::string_view message) {
  checks_.push_back(
      {expr.where, std::move(condition), fmt::format("{}: {}", cite(expr.where), message)});
}

void ValueChecks::range(const Expr& expr, std::string_view what, Bound lo,
                        std::optional<Bound> hi) {
  if (const auto value = evaluate(expr.tokens)) {
    const std::int64_t v = value->value;
    const bool unsigned_high = value->is_unsigned && v < 0;  // beyond INT64_MAX
    if (v < lo.value || unsigned_high || (hi && v > hi->value)) {
      const std::string shown =
          value->is_unsigned ? std::to_string(static_cast<std::uint64_t>(v)) : std::to_string(v);
      diagnostics_.error(expr.where, fmt::format("E_PAR: {} {} is out of range {}", what, shown,
                                                 range_text(lo, hi, false)));
    }
    return;
  }
  std::string condition =
      hi ? fmt::format("cfg_in_range({}, {}, {})", expr.text, bound_text(lo), bound_text(*hi))
         : fmt::format("cfg_at_least({}, {})", expr.text, bound_text(lo));
  defer(
      expr, std::move(condition),
      fmt::format("E_PAR: {} ({}) is out of range {}", what, expr.text, range_text(lo, hi, true)));
}

void ValueChecks::not_above(const Expr& low, const Expr& high, std::string_view what_low,
                            std::string_view what_high) {
  const auto lo = evaluate(low.tokens);
  const auto hi = evaluate(high.tokens);
  if (lo && hi) {
    if (lo->value > hi->value) {
      diagnostics_.error(low.where, fmt::format("E_PAR: {} {} exceeds the {} {}", what_low,
                                                lo->value, what_high, hi->value));
    }
    return;
  }
  defer(
      low, fmt::format("cfg_not_above({}, {})", low.text, high.text),
      fmt::format("E_PAR: {} ({}) exceeds the {} ({})", what_low, low.text, what_high, high.text));
}

void ValueChecks::attribute(const Expr& expr, std::string_view api, std::uint64_t allowed,
                            std::string_view names) {
  if (const auto value = evaluate(expr.tokens)) {
    const auto bits = static_cast<std::uint64_t>(value->value);
    if ((bits & ~allowed) != 0) {
      diagnostics_.error(expr.where,
                         fmt::format("E_RSATR: attribute {:#x} is not allowed for {} (allowed: {})",
                                     bits, api, names));
    }
    return;
  }
  defer(expr, fmt::format("cfg_only_bits({}, {:#x}U)", expr.text, allowed),
        fmt::format("E_RSATR: attribute ({}) is not allowed for {} (allowed: {})", expr.text, api,
                    names));
}

void ValueChecks::null_only(const Expr& expr, std::string_view what) {
  if (!is_null(expr)) {
    diagnostics_.error(expr.where,
                       fmt::format("E_PAR: {} must be NULL, not '{}'", what, expr.text));
  }
}

void ValueChecks::port_valid(const Expr& expr, std::string_view macro, std::string_view what) {
  defer(expr, fmt::format("{}({})", macro, expr.text),
        fmt::format("E_PAR: {} ({}) is not valid on this target", what, expr.text));
}

void ValueChecks::distinct(const NumberedDef& later, const NumberedDef& first,
                           std::string_view what) {
  const auto a = evaluate(later.number.tokens);
  const auto b = evaluate(first.number.tokens);
  const bool same_text = later.number.text == first.number.text;
  if ((a && b && a->value == b->value) || same_text) {
    diagnostics_.error(later.where, fmt::format("E_OBJ: {} {} is defined twice (first at {})", what,
                                                later.number.text, cite(first.where)));
  } else if (!a || !b) {
    defer(later.number, fmt::format("cfg_differ({}, {})", later.number.text, first.number.text),
          fmt::format("E_OBJ: {} ({}) is defined twice (first at {})", what, later.number.text,
                      cite(first.where)));
  }
}

}  // namespace itron::cfg
