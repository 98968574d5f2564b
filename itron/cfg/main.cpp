// itron-cfg: the static API configurator of Gandalf's μITRON kernel.
//   itron-cfg --cpp "cc -E -x c" [-I DIR]... [-D NAME[=VAL]]... --header OUT/kernel_cfg.h
//             --source OUT/kernel_cfg.cpp [--depfile OUT/kernel_cfg.d] [--flavor itron|asp|jsp] APP.cfg
// Every error is reported as "FILE:LINE: error: ..." at the original .cfg line; when there
// is any, no output is written (stale outputs are removed) and the exit status is 1.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "checker.hpp"
#include "generator.hpp"
#include "loader.hpp"

namespace {

using namespace itron::cfg;
namespace fs = std::filesystem;

struct Options {
  PreprocessorOptions preprocessor;
  std::string header;
  std::string source;
  std::string depfile;
  std::string cfg;
  Flavor flavor = Flavor::itron;
};

struct Output {
  std::string path;
  std::string content;
};

void remove_outputs(const Options& options) {
  for (const std::string& path : {options.header, options.source, options.depfile}) {
    std::error_code ec;
    if (!path.empty()) fs::remove(path, ec);
  }
}

bool write_file(const Output& output) {
  std::ofstream out(output.path, std::ios::binary | std::ios::trunc);
  out << output.content;
  out.close();
  if (out) return true;
  fmt::print(stderr, "itron-cfg: error: cannot write {}\n", output.path);
  return false;
}

std::vector<Output> generate_outputs(const Options& options, const Configuration& config,
                                     const LoadedFiles& loaded) {
  const std::string header_name = fs::path(options.header).filename().string();
  std::vector<Output> outputs = {{options.header, generate_header(config)},
                                 {options.source, generate_source(config, header_name)}};
  if (!options.depfile.empty()) {
    outputs.push_back(
        {options.depfile, generate_depfile({options.header, options.source}, loaded.files)});
  }
  return outputs;
}

int run(const Options& options) {
  Diagnostics diagnostics;
  const LoadedFiles loaded = load_configuration(options.cfg, options.preprocessor, diagnostics, options.flavor);
  Configuration config = check_configuration(loaded.calls, diagnostics, options.flavor);
  if (diagnostics.has_errors()) {
    std::fputs(diagnostics.render().c_str(), stderr);
    remove_outputs(options);
    return 1;
  }
  config.source_name = fs::path(options.cfg).filename().string();
  config.headers = loaded.headers;
  for (const Output& output : generate_outputs(options, config, loaded)) {
    if (!write_file(output)) {
      remove_outputs(options);
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Checks the static API calls of a μITRON .cfg file and generates the kernel's "
      "configuration tables (kernel_cfg.h, kernel_cfg.cpp)."};
  Options options;
  app.add_option("--cpp", options.preprocessor.command,
                 "preprocessor command, split on spaces (e.g. \"cc -E -x c\")")
      ->required();
  app.add_option("-I", options.preprocessor.include_dirs, "include directory (also for INCLUDE)");
  app.add_option("-D", options.preprocessor.defines, "macro NAME or NAME=VALUE");
  app.add_option("--header", options.header, "the ID header to write")->required();
  app.add_option("--source", options.source, "the C++ tables to write")->required();
  app.add_option("--depfile", options.depfile, "a Make-style depfile to write");
  const std::map<std::string, Flavor> flavors = {{"itron", Flavor::itron}, {"asp", Flavor::asp}, {"jsp", Flavor::jsp}};
  app.add_option("--flavor", options.flavor, "the specification the application follows: itron (μITRON 4.0), asp, jsp")
      ->transform(CLI::CheckedTransformer(flavors, CLI::ignore_case));
  app.add_option("cfg", options.cfg, "the system configuration file (.cfg)")->required();
  CLI11_PARSE(app, argc, argv);
  return run(options);
}
