// itron-cfg checker: turns parsed static API calls into a checked Configuration.
#pragma once

#include <vector>

#include "diagnostics.hpp"
#include "model.hpp"
#include "parser.hpp"

namespace itron::cfg {

// Checks every call (INCLUDE already resolved by the loader), assigns object IDs and
// collects the checks left to the compiler. Errors go to `diagnostics`.
// A static API the application's flavour lacks is an error naming the flavour.
[[nodiscard]] Configuration check_configuration(const std::vector<ApiCall>& calls,
                                                Diagnostics& diagnostics,
                                                Flavor flavor = Flavor::itron);

}  // namespace itron::cfg
