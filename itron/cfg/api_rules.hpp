// itron-cfg API rules: the static APIs, their packets and the values each accepts.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "value_checks.hpp"

namespace itron::cfg {

enum class ApiKind {
  object,             // CRE_*: (ID, packet)
  interrupt_handler,  // DEF_INH: (inhno, packet)
  interrupt_line,     // CFG_INT: (intno, packet)
  exception_handler,  // DEF_EXC: (excno, packet)
  task_exception,     // DEF_TEX: (tskid, packet)
  initializer,        // ATT_INI: (packet)
  terminator,         // ATT_TER: (packet)
  service_routine,    // ATT_ISR: (packet)
};

struct ApiShape {
  std::string_view name;
  ApiKind kind;
  ObjectClass cls;            // for ApiKind::object
  std::string_view synopsis;  // the parameters, for messages
  std::string_view packet;    // the packet's elements, for messages
  std::size_t full;           // elements of the μITRON 4.0 packet
  std::size_t shortest;       // fewer in a TOPPERS/JSP form; the rest are NULL
  unsigned flavors;           // the Flavor bits of the kernels that have it
};

// The shape of a static API, or nullptr if the kernel has none of that name.
[[nodiscard]] const ApiShape* find_api(std::string_view name);

// The value checks of one call; `params` is the completed packet, and for numbered APIs
// the number is checked through `number` (may be null for the others).
void check_values(const ApiShape& shape, const std::vector<Expr>& params, ValueChecks& values,
                  const Expr* number);

}  // namespace itron::cfg
