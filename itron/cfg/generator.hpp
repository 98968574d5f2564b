// itron-cfg generator: kernel_cfg.h (the IDs), kernel_cfg.cpp (the tables) and a depfile.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"

namespace itron::cfg {

// The ID header: TNUM_*ID counts and one #define per named object.
[[nodiscard]] std::string generate_header(const Configuration& config);

// The tables and itron_config; `header_name` is how the source includes the ID header.
[[nodiscard]] std::string generate_source(const Configuration& config,
                                          std::string_view header_name);

// A Make-style dependency rule: every target depends on every file read.
[[nodiscard]] std::string generate_depfile(const std::vector<std::string>& targets,
                                           const std::vector<std::string>& dependencies);

}  // namespace itron::cfg
