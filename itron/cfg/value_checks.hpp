// itron-cfg value checks: a parameter is checked by the tool when it is constant, and by a
// static_assert in the generated source when it is not.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "diagnostics.hpp"
#include "model.hpp"

namespace itron::cfg {

// A limit, as a number for the tool and as the kernel.h macro for the static_assert.
struct Bound {
  std::int64_t value;
  std::string_view macro;  // empty: the generated check spells the number
};

// The limits of kernel.h and target_kernel.h (TMIN_TPRI ... TMAX_INTPRI).
namespace limits {
inline constexpr Bound kMinTaskPri{1, "TMIN_TPRI"};
inline constexpr Bound kMaxTaskPri{16, "TMAX_TPRI"};
inline constexpr Bound kMinMsgPri{1, "TMIN_MPRI"};
inline constexpr Bound kMaxMsgPri{16, "TMAX_MPRI"};
inline constexpr Bound kMinDataPri{1, "TMIN_DPRI"};
inline constexpr Bound kMinIsrPri{1, "TMIN_ISRPRI"};
inline constexpr Bound kMaxIsrPri{16, "TMAX_ISRPRI"};
inline constexpr Bound kMaxDataPri{16, "TMAX_DPRI"};
inline constexpr Bound kMinIntPri{-15, "TMIN_INTPRI"};
inline constexpr Bound kMaxIntPri{-1, "TMAX_INTPRI"};
inline constexpr Bound kMaxSem{0x7fffffff, "TMAX_MAXSEM"};
inline constexpr Bound kMaxRelTim{0x7fffffff, "TMAX_RELTIM"};
inline constexpr Bound kZero{0, ""};
inline constexpr Bound kOne{1, ""};
}  // namespace limits

// True for NULL, nullptr and expressions whose constant value is 0 (such as (void*)0).
[[nodiscard]] bool is_null(const Expr& expr);

// The generated conditions call small constexpr helpers (see kCheckHelpers) rather than
// comparing inline: a comparison of an unsigned enumerator with 0 would trip -Wtype-limits.
extern const std::string_view kCheckHelpers;

class ValueChecks {
 public:
  ValueChecks(Diagnostics& diagnostics, std::vector<StaticCheck>& checks)
      : diagnostics_(diagnostics), checks_(checks) {}

  // E_PAR unless lo <= expr (<= hi).
  void range(const Expr& expr, std::string_view what, Bound lo, std::optional<Bound> hi);
  // E_PAR unless low <= high, e.g. the initial semaphore count and the maximum.
  void not_above(const Expr& low, const Expr& high, std::string_view what_low,
                 std::string_view what_high);
  // E_RSATR unless every set bit is in `allowed`; `names` lists them for the message.
  void attribute(const Expr& expr, std::string_view api, std::uint64_t allowed,
                 std::string_view names);
  // E_PAR unless the parameter is NULL (an area the kernel does not use).
  void null_only(const Expr& expr, std::string_view what);
  // Always left to the compiler: the port macro, e.g. PORT_VALID_INHNO(inhno).
  void port_valid(const Expr& expr, std::string_view macro, std::string_view what);
  // E_OBJ unless two numbers differ; `first` is where the earlier definition is.
  void distinct(const NumberedDef& later, const NumberedDef& first, std::string_view what);

 private:
  void defer(const Expr& expr, std::string condition, std::string_view message);

  Diagnostics& diagnostics_;
  std::vector<StaticCheck>& checks_;
};

}  // namespace itron::cfg
