#include "systems.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "commands.hpp"
#include "config_model.hpp"

namespace gandalf::cli {
namespace fs = std::filesystem;
namespace {

bool is_config_file(const std::string& what) {
  return what.ends_with(".toml") || what.find('/') != std::string::npos || fs::is_regular_file(what);
}

bool valid_name(const std::string& name) {
  return !name.empty() && name.size() <= 40 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
         });
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string systems_in(const Paths& paths) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(paths.build / "systems", ec))
    if (e.is_directory()) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "(none built yet)" : out;
}

bool build_target(const Paths& paths, const std::string& name) {
  return run({GANDALF_CMAKE, "--build", paths.build.string(), "--target", "system-" + name}) == 0;
}

// The systems gandalf/CMakeLists.txt declares (lines that begin `gandalf_system(NAME `).
std::set<std::string> project_systems(const Paths& paths) {
  std::set<std::string> names;
  std::istringstream in(read_file(paths.source / "gandalf/CMakeLists.txt"));
  constexpr std::string_view call = "gandalf_system(";
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(call)) names.insert(line.substr(call.size(), line.find(' ') - call.size()));
  return names;
}

// The modules the configuration's boot loader must hand over, in configuration order.
std::vector<std::string> modules_of(const tool::Model& model) {
  std::vector<std::string> out;
  for (const auto& p : model.partitions) {
    out.emplace_back(p.image);
    if (p.initrd[0] != '\0') out.emplace_back(p.initrd);
  }
  return out;
}

// gandalf_system() arguments for the file's modules, or nullopt after saying what is wrong.
std::optional<std::string> image_arguments(const tool::Model& model, const std::vector<std::string>& images) {
  const std::vector<std::string> modules = modules_of(model);
  std::map<std::string, std::string> given;
  bool ok = true;
  for (const std::string& text : images) {
    std::string error;
    const auto spec = parse_image(text, error);
    if (!spec) {
      fmt::print(stderr, "gandalf build: --image {}: {}\n", text, error);
      ok = false;
    } else if (std::find(modules.begin(), modules.end(), spec->module) == modules.end()) {
      fmt::print(stderr, "gandalf build: --image {}: {} names no module '{}' (its modules: {})\n", text, model.file,
                 spec->module, fmt::join(modules, ", "));
      ok = false;
    } else if (!given.emplace(spec->module, spec->source).second) {
      fmt::print(stderr, "gandalf build: --image {}: module '{}' given twice\n", text, spec->module);
      ok = false;
    }
  }
  std::vector<std::string> missing;
  for (const auto& m : modules)
    if (!given.contains(m)) missing.push_back(m);
  if (!missing.empty()) {
    fmt::print(stderr,
               "gandalf build: {} needs an image for module{} {}: give --image MODULE=SOURCE for each "
               "(SOURCE: itron:APP, linux:vmlinux, linux:initramfs, a test guest, or a file)\n",
               model.file, missing.size() == 1 ? "" : "s", fmt::join(missing, ", "));
    ok = false;
  }
  if (!ok) return std::nullopt;
  std::string out;
  for (const auto& m : modules) out += fmt::format(" \"{}={}\"", m, given[m]);
  return out;
}

// Registers the file as gandalf_system(NAME ...) of the build directory (gandalf/CMakeLists.txt
// includes BUILD/user-systems/*.cmake) and reconfigures when that changed anything.
bool register_system(const Paths& paths, const std::string& name, const fs::path& file, const std::string& images) {
  const fs::path dir = paths.build / "user-systems";
  const fs::path cmake = dir / (name + ".cmake");
  if (project_systems(paths).contains(name)) {
    fmt::print(stderr, "gandalf build: '{}' is a system of the project; give the file another --name\n", name);
    return false;
  }
  const std::string text = fmt::format(
      "# Written by `gandalf build {}` (tools/gandalf); delete it to forget the system.\n"
      "set(user_config \"{}\")\n"
      "gandalf_user_system({} IMAGES{})\n",
      file.string(), file.string(), name, images);
  if (fs::exists(cmake) && read_file(cmake) == text) return true;
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::ofstream out(cmake);
  out << text;
  out.close();
  if (!out) {
    fmt::print(stderr, "gandalf build: cannot write {}\n", cmake.string());
    return false;
  }
  if (run({GANDALF_CMAKE, "-S", paths.source.string(), "-B", paths.build.string()}) == 0) return true;
  fs::remove(cmake, ec);  // a system CMake refuses must not break the next build
  fmt::print(stderr, "gandalf build: CMake refused the system '{}' (above); nothing was registered\n", name);
  return false;
}

std::optional<fs::path> build_file(const Paths& paths, const BuildRequest& request) {
  const fs::path file = fs::absolute(request.what).lexically_normal();
  if (!fs::is_regular_file(file)) {
    fmt::print(stderr, "gandalf build: {}: no such configuration file\n", request.what);
    return std::nullopt;
  }
  const tool::Model model = tool::load_file(file.string());
  if (!tool::report_diagnostics(model)) return std::nullopt;
  const std::string name = request.name.empty() ? file.stem().string() : request.name;
  if (!valid_name(name)) {
    fmt::print(stderr, "gandalf build: '{}' cannot name a system (letters, digits, - and _; give --name)\n", name);
    return std::nullopt;
  }
  const auto images = image_arguments(model, request.images);
  if (!images || !register_system(paths, name, file, *images)) return std::nullopt;
  if (request.build && !build_target(paths, name)) {
    fmt::print(stderr, "gandalf build: building {} failed (above)\n", name);
    return std::nullopt;
  }
  return paths.build / "systems" / name;
}

std::optional<fs::path> build_named(const Paths& paths, const BuildRequest& request) {
  const fs::path dir = paths.build / "systems" / request.what;
  if (!valid_name(request.what)) {
    fmt::print(stderr, "gandalf: '{}' is neither a configuration file nor a system's name\n", request.what);
    return std::nullopt;
  }
  if (request.build && !build_target(paths, request.what)) {
    if (!fs::exists(dir))
      fmt::print(stderr, "gandalf: no system '{}' in {} (systems: {}; or give a .toml file)\n", request.what,
                 paths.build.string(), systems_in(paths));
    else
      fmt::print(stderr, "gandalf: building {} failed (above)\n", request.what);
    return std::nullopt;
  }
  if (!fs::exists(dir / "gandalf.elf")) {
    fmt::print(stderr, "gandalf: no built system '{}' in {} (systems: {})\n", request.what, paths.build.string(),
               systems_in(paths));
    return std::nullopt;
  }
  return dir;
}

}  // namespace

std::optional<ImageSpec> parse_image(const std::string& text, std::string& error) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    error = "expected MODULE=SOURCE";
    return std::nullopt;
  }
  ImageSpec spec{text.substr(0, eq), text.substr(eq + 1)};
  if (!valid_name(spec.module)) {
    error = fmt::format("'{}' cannot be a module name", spec.module);
    return std::nullopt;
  }
  const std::string& s = spec.source;
  if (s.starts_with("itron:")) {
    if (!valid_name(s.substr(6))) error = fmt::format("'{}' names no μITRON application", s.substr(6));
  } else if (s.starts_with("linux:")) {
    if (s != "linux:vmlinux" && s != "linux:initramfs") error = "expected linux:vmlinux or linux:initramfs";
  } else if (s.find('/') != std::string::npos || s.find('.') != std::string::npos) {
    if (!fs::is_regular_file(s)) error = fmt::format("{}: no such file", s);
    spec.source = fs::absolute(s).lexically_normal().string();
  } else if (!valid_name(s)) {
    error = fmt::format("'{}' is no test guest's name", s);
  }
  if (!error.empty()) return std::nullopt;
  return spec;
}

std::optional<fs::path> build_system(const Paths& paths, const BuildRequest& request) {
  if (!fs::exists(paths.build / "CMakeCache.txt")) {
    fmt::print(stderr, "gandalf: {} is not a configured build directory (make one with tools/build DIR)\n",
               paths.build.string());
    return std::nullopt;
  }
  return is_config_file(request.what) ? build_file(paths, request) : build_named(paths, request);
}

}  // namespace gandalf::cli
