// itron-cfg preprocessing: runs the target's C preprocessor over a .cfg file.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace itron::cfg {

struct PreprocessorOptions {
  std::string command;  // "cc -E -x c": split on spaces
  std::vector<std::string> include_dirs;
  std::vector<std::string> defines;  // NAME or NAME=VALUE
};

// The command line for one file: the command, the configurator's macros, -I, -D, the file.
[[nodiscard]] std::vector<std::string> preprocessor_argv(const PreprocessorOptions& options,
                                                         const std::string& file);

struct PreprocessorRun {
  std::string output;  // stdout; the preprocessor's own messages go straight to stderr
  int exit_status = 0;
  std::string failure;  // why it could not run at all, empty if it ran
};

// Runs the preprocessor and captures its standard output.
[[nodiscard]] PreprocessorRun run_preprocessor(const PreprocessorOptions& options,
                                               const std::string& file);

}  // namespace itron::cfg
