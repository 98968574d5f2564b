// Generators: the files a build derives from a checked configuration.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config_model.hpp"

namespace gandalf::tool {

// Extra GRUB module arguments per partition name (`generate --module-args NAME=STRING`),
// e.g. to tell a test guest to misbehave.
using ModuleArgs = std::map<std::string, std::string, std::less<>>;

// Parses NAME=STRING items against the model's partitions (NAME: a partition or image name;
// the result is keyed by partition name); on a bad item returns nullopt and says why in
// `error`. Repeating a NAME appends, separated by a space.
std::optional<ModuleArgs> parse_module_args(const Model& model,
                                            const std::vector<std::string>& items,
                                            std::string& error);

// gandalf_config.hpp: constexpr config::System and config::Partition tables.
std::string emit_header(const Model& model);
// gandalf_layout.ld: the addresses Gandalf's linker script places it at.
std::string emit_linker_script(const Model& model);
// grub.cfg: one menu entry loading Gandalf and each partition's image, in index order.
std::string emit_grub_cfg(const Model& model, const ModuleArgs& module_args);
// system.json: the layout and consoles for the test harness.
std::string emit_system_json(const Model& model, const ModuleArgs& module_args);

struct GeneratedFile {
  std::string name;
  std::string content;
};

// Every generated file of a checked model (the model must be ok()).
std::vector<GeneratedFile> generate_all(const Model& model, const ModuleArgs& module_args);

// Writes `content` unless the file already holds exactly it (so that a build does not
// recompile what depends on it). Returns true when written; throws nothing, reports in `error`.
bool write_if_changed(const std::filesystem::path& path, std::string_view content,
                      std::string& error);

// "default" for config/default.toml: the name a menu entry shows.
std::string config_name(const Model& model);

}  // namespace gandalf::tool
