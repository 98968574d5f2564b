// Child processes of the `gandalf` command, and where the project and its build are.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gandalf::cli {

struct Paths {
  std::filesystem::path source;  // the project's sources (this binary was built from them)
  std::filesystem::path build;   // a configured build directory (--build, default: this one's)
  [[nodiscard]] std::filesystem::path run_dir() const { return build / "run"; }
  [[nodiscard]] std::filesystem::path script(const char* relative) const { return source / relative; }
};

// Runs argv[0] (looked up in PATH) and waits: its exit status, 127 when it cannot start.
int run(const std::vector<std::string>& argv);
// Replaces this process with argv (Ctrl-C then reaches the emulator's harness directly).
[[noreturn]] void exec(const std::vector<std::string>& argv);
// The Python interpreter CMake found, then a script of the project's tools.
std::vector<std::string> python(const Paths& paths, const char* script);

}  // namespace gandalf::cli
