// itron-cfg diagnostics: every finding tied to the original .cfg file and line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace itron::cfg {

// A place in an original source file, as the preprocessor's linemarkers name it.
struct Location {
  std::string file;
  std::uint32_t line = 0;
};

// "FILE:LINE", used both in diagnostics and to cite a second place in a message.
[[nodiscard]] std::string cite(const Location& where);

// Collects every error so that one run reports all of them, like a compiler.
class Diagnostics {
 public:
  void error(const Location& where, std::string message);
  // An error that belongs to no source line (a missing file, a failed preprocessor).
  void error(std::string message);

  [[nodiscard]] bool has_errors() const { return !lines_.empty(); }
  [[nodiscard]] std::size_t count() const { return lines_.size(); }
  // Every finding as "FILE:LINE: error: MESSAGE" lines, in the order found.
  [[nodiscard]] std::string render() const;

 private:
  std::vector<std::string> lines_;
};

}  // namespace itron::cfg
