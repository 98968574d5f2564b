// Status codes at the hypercall boundary and inside Gandalf (no exceptions anywhere).
#pragma once

#include <cstdint>

#include "gandalf/abi.h"

namespace gandalf {

enum class [[nodiscard]] Status : std::int32_t {
  ok = GANDALF_EOK,
  no_such_call = -GANDALF_ENOSYS,
  invalid = -GANDALF_EINVAL,
  fault = -GANDALF_EFAULT,
};

constexpr std::int32_t to_abi(Status s) { return static_cast<std::int32_t>(s); }

}  // namespace gandalf
