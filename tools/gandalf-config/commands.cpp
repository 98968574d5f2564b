#include "commands.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "emit.hpp"

namespace gandalf::tool {

bool report_diagnostics(const Model& model) {
  std::fputs(model.diagnostics.render().c_str(), stderr);
  if (model.ok()) return true;
  const std::size_t errors = model.diagnostics.error_count();
  fmt::print(stderr, "{}: {} error{}\n", model.file, errors, errors == 1 ? "" : "s");
  return false;
}

int check_command(const std::string& file) {
  const Model model = load_file(file);
  if (!report_diagnostics(model)) return 1;
  std::fputs(render_report(model).c_str(), stdout);
  return 0;
}

}  // namespace gandalf::tool
