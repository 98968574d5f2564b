// Errors and warnings of the configuration checker, rendered like a compiler's.
#include "diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gandalf::tool {

void Diagnostics::error(Position where, std::string message) {
  items_.push_back({Severity::error, where, std::move(message)});
}

void Diagnostics::warning(Position where, std::string message) {
  items_.push_back({Severity::warning, where, std::move(message)});
}

bool Diagnostics::has_errors() const { return error_count() != 0; }

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

std::string Diagnostics::cite(Position where) const {
  return fmt::format("{}:{}:{}", file_, where.line, where.column);
}

std::string Diagnostics::render() const {
  // Checks run table by table; sorting by position reads like the file (stable keeps the
  // order of several findings at one place).
  std::vector<Diagnostic> sorted = items_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.where.line != b.where.line ? a.where.line < b.where.line
                                        : a.where.column < b.where.column;
  });
  std::string out;
  for (const Diagnostic& d : sorted)
    out += fmt::format("{}: {}: {}\n", cite(d.where),
                       d.severity == Severity::error ? "error" : "warning", d.message);
  return out;
}

}  // namespace gandalf::tool
