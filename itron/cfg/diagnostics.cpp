// itron-cfg diagnostics: compiler-style error lines.
#include "diagnostics.hpp"

#include <fmt/format.h>

namespace itron::cfg {

std::string cite(const Location& where) { return fmt::format("{}:{}", where.file, where.line); }

void Diagnostics::error(const Location& where, std::string message) {
  lines_.push_back(fmt::format("{}: error: {}", cite(where), message));
}

void Diagnostics::error(std::string message) {
  lines_.push_back(fmt::format("itron-cfg: error: {}", message));
}

std::string Diagnostics::render() const {
  std::string out;
  for (const auto& line : lines_) out += line + '\n';
  return out;
}

}  // namespace itron::cfg
