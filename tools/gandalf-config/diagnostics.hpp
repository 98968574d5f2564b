// Errors and warnings of the configuration checker, each tied to a place in the source file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gandalf::tool {

// A place in the configuration text; 1-based like every compiler's diagnostics.
struct Position {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity;
  Position where;
  std::string message;
};

// Collects every finding so that one run reports all of them, not just the first.
class Diagnostics {
 public:
  explicit Diagnostics(std::string file = {}) : file_(std::move(file)) {}

  void error(Position where, std::string message);
  void warning(Position where, std::string message);

  [[nodiscard]] bool has_errors() const;
  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] const std::vector<Diagnostic>& all() const { return items_; }
  [[nodiscard]] const std::string& file() const { return file_; }

  // "FILE:LINE:COL" for a position in this file, used to cite a second place in a message.
  [[nodiscard]] std::string cite(Position where) const;
  // Every finding as "FILE:LINE:COL: error: message" lines, in source order.
  [[nodiscard]] std::string render() const;

 private:
  std::string file_;
  std::vector<Diagnostic> items_;
};

}  // namespace gandalf::tool
