// `gandalf build`: a system of the project by name, or any configuration file with its images.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"

namespace gandalf::cli {

struct BuildRequest {
  std::string what;                 // a system's name (default, samples, ...) or FILE.toml
  std::vector<std::string> images;  // MODULE=SOURCE, for a configuration file
  std::string name;                 // the system's name for a file (default: the file's stem)
  bool build = true;                // false: only find an already built system
};

// The system's directory (BUILD/systems/NAME, holding gandalf.elf, gandalf.iso and
// system.json), or nullopt after printing why not.
std::optional<std::filesystem::path> build_system(const Paths& paths, const BuildRequest& request);

// MODULE=SOURCE -> (module, SOURCE as gandalf_system() takes it): itron:APP, linux:vmlinux,
// linux:initramfs, a test guest's name, or a file (made absolute). An error names the problem.
struct ImageSpec {
  std::string module, source;
};
std::optional<ImageSpec> parse_image(const std::string& text, std::string& error);

}  // namespace gandalf::cli
