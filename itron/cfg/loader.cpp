// itron-cfg loader: one preprocessor run per .cfg; INCLUDE("x.cfg") splices that file's
// static APIs in place, INCLUDE("x.h") and #include lines become headers of the output.
#include "loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>

#include "lexer.hpp"

namespace itron::cfg {
namespace {

namespace fs = std::filesystem;

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

// The operand of INCLUDE: the file name and how an #include line spells it.
struct IncludeOperand {
  std::string name;
  std::string spelled;
};

// INCLUDE("f"), INCLUDE(<f>) and the TOPPERS/JSP form INCLUDE("\"f\"") or ("<f>").
std::optional<IncludeOperand> include_operand(const ApiCall& call) {
  if (call.args.size() != 1 || call.args[0].is_packet) return std::nullopt;
  const Expr& expr = call.args[0].elements[0];
  std::string text = expr.text;
  if (expr.tokens.size() == 1 && expr.tokens[0].kind == TokenKind::string) {
    std::string inner;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
      if (text[i] == '\\' && i + 2 < text.size()) ++i;
      inner += text[i];
    }
    if (inner.size() < 2 || !(inner.starts_with('"') || inner.starts_with('<'))) {
      return IncludeOperand{inner, '"' + inner + '"'};
    }
    text = inner;
  }
  const bool quoted = text.starts_with('"') && text.ends_with('"');
  const bool angled = text.starts_with('<') && text.ends_with('>');
  if (text.size() < 3 || !(quoted || angled)) return std::nullopt;
  std::string name = text.substr(1, text.size() - 2);
  std::erase(name, ' ');
  return IncludeOperand{name, text.front() + name + text.back()};
}

class Loader {
 public:
  Loader(const PreprocessorOptions& options, Diagnostics& diagnostics, Flavor flavor)
      : options_(options), diagnostics_(diagnostics), flavor_(flavor) {}

  void load(const std::string& file, const std::optional<Location>& from) {
    std::error_code ec;
    const std::string key = fs::weakly_canonical(file, ec).string();
    if (!loaded_.insert(ec ? file : key).second) return;
    const PreprocessorRun run = run_preprocessor(options_, file);
    if (!run.failure.empty() || run.exit_status != 0) {
      report(from, run.failure.empty()
                       ? fmt::format("the preprocessor failed on {} (exit status {})", file,
                                     run.exit_status)
                       : fmt::format("cannot preprocess {}: {}", file, run.failure));
      return;
    }
    const PreprocessedUnit unit = read_preprocessed(run.output);
    for (const std::string& read : unit.files) add_file(absolute_path(read));
    merge(unit, parse_static_apis(unit.tokens, diagnostics_));
  }

  LoadedFiles take() { return std::move(result_); }

 private:
  void report(const std::optional<Location>& where, std::string message) {
    if (where) {
      diagnostics_.error(*where, std::move(message));
    } else {
      diagnostics_.error(std::move(message));
    }
  }

  // Headers and calls in the order the .cfg text has them.
  void merge(const PreprocessedUnit& unit, const std::vector<ApiCall>& calls) {
    auto header = unit.headers.begin();
    for (const ApiCall& call : calls) {
      for (; header != unit.headers.end() && header->order <= call.order; ++header) {
        add_header('"' + absolute_path(header->path) + '"', header->where);
      }
      if (call.name == "INCLUDE") {
        include(call);
      } else {
        result_.calls.push_back(call);
      }
    }
    for (; header != unit.headers.end(); ++header) {
      add_header('"' + absolute_path(header->path) + '"', header->where);
    }
  }

  void include(const ApiCall& call) {
    const auto operand = include_operand(call);
    if (!operand) {
      diagnostics_.error(call.where, "E_PAR: INCLUDE takes one \"file\" or <file>");
      return;
    }
    if (!is_cfg_file(operand->name)) {
      add_header(operand->spelled, call.where);
      return;
    }
    if (const auto found = find_cfg(operand->name, call.where)) {
      load(*found, call.where);
    } else {
      // The flavour decides the include path (JSP's "@(SRCDIR)/systask"), so it is named.
      diagnostics_.error(call.where, fmt::format("cannot find INCLUDE file {} (include path of the {} flavour)",
                                                 operand->name, flavor_name(flavor_)));
    }
  }

  // The including file's directory first, then the -I directories.
  std::optional<std::string> find_cfg(const std::string& name, const Location& from) const {
    std::vector<fs::path> candidates{fs::path(from.file).parent_path() / name};
    for (const auto& dir : options_.include_dirs) candidates.push_back(fs::path(dir) / name);
    for (const auto& candidate : candidates) {
      std::error_code ec;
      if (fs::is_regular_file(candidate, ec)) return candidate.lexically_normal().string();
    }
    return std::nullopt;
  }

  void add_header(const std::string& spelled, const Location& where) {
    const auto same = [&](const AppHeader& h) { return h.spelled == spelled; };
    if (std::none_of(result_.headers.begin(), result_.headers.end(), same)) {
      result_.headers.push_back({spelled, where});
    }
  }

  void add_file(const std::string& file) {
    if (std::find(result_.files.begin(), result_.files.end(), file) == result_.files.end()) {
      result_.files.push_back(file);
    }
  }

  const PreprocessorOptions& options_;
  Diagnostics& diagnostics_;
  Flavor flavor_;
  LoadedFiles result_;
  std::set<std::string> loaded_;
};

}  // namespace

LoadedFiles load_configuration(const std::string& file, const PreprocessorOptions& options,
                               Diagnostics& diagnostics, Flavor flavor) {
  Loader loader(options, diagnostics, flavor);
  loader.load(file, std::nullopt);
  return loader.take();
}

}  // namespace itron::cfg
