// What `gandalf-config check` and `gandalf check` both do: one implementation.
#pragma once

#include <string>

#include "config_model.hpp"

namespace gandalf::tool {

// Errors and warnings to stderr in compiler format; whether the model is usable.
bool report_diagnostics(const Model& model);
// Checks FILE; prints the layout and the isolation proof, or the errors. The exit status.
int check_command(const std::string& file);

}  // namespace gandalf::tool
