// gandalf-config: checks a Gandalf system configuration and generates the build's tables.
//   gandalf-config check FILE
//   gandalf-config generate FILE --out DIR [--module-args NAME=STRING]...
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "commands.hpp"
#include "config_model.hpp"
#include "emit.hpp"

namespace {

using gandalf::tool::Model;
using gandalf::tool::report_diagnostics;

struct Options {
  std::string file;
  std::string out_dir;
  std::vector<std::string> module_args;
};

int write_all(const std::vector<gandalf::tool::GeneratedFile>& files,
              const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    fmt::print(stderr, "gandalf-config: cannot create {}: {}\n", dir.string(), ec.message());
    return 1;
  }
  for (const auto& file : files) {
    std::string error;
    gandalf::tool::write_if_changed(dir / file.name, file.content, error);
    if (!error.empty()) {
      fmt::print(stderr, "gandalf-config: {}\n", error);
      return 1;
    }
  }
  return 0;
}

// Everything is checked and generated in memory first: an error writes nothing.
int run_generate(const Options& options) {
  const Model model = gandalf::tool::load_file(options.file);
  if (!report_diagnostics(model)) return 1;
  std::string error;
  const auto module_args = gandalf::tool::parse_module_args(model, options.module_args, error);
  if (!module_args) {
    fmt::print(stderr, "gandalf-config: {}\n", error);
    return 1;
  }
  return write_all(gandalf::tool::generate_all(model, *module_args), options.out_dir);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Checks a Gandalf system configuration, proves spatial isolation and generates "
      "the build's tables."};
  app.require_subcommand(1);
  Options options;
  CLI::App* check = app.add_subcommand("check", "check FILE; print the layout and the proof");
  check->add_option("file", options.file, "configuration (TOML)")->required();
  CLI::App* generate = app.add_subcommand(
      "generate",
      "check FILE, then write gandalf_config.hpp, gandalf_layout.ld, grub.cfg and "
      "system.json into --out (only files whose content changed)");
  generate->add_option("file", options.file, "configuration (TOML)")->required();
  generate->add_option("--out", options.out_dir, "output directory")->required();
  generate->add_option("--module-args", options.module_args,
                       "NAME=STRING: append STRING to partition NAME's GRUB module line "
                       "(repeatable)");
  CLI11_PARSE(app, argc, argv);
  if (check->parsed()) return gandalf::tool::check_command(options.file);
  return run_generate(options);
}
