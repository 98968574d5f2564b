// Fuzz target: the μITRON static API configurator (itron/cfg) after the C preprocessor: the
// text `cc -E` hands it (with its `# LINE "FILE"` markers) is read, parsed, checked and, if
// accepted, turned into kernel_cfg.h / kernel_cfg.cpp. Input: that text.
//
// Whatever the text: no exception, no assertion, no undefined behaviour; a refusal says why;
// an accepted configuration generates both files.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "checker.hpp"
#include "generator.hpp"
#include "lexer.hpp"
#include "parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace itron::cfg;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Diagnostics diagnostics;
  const PreprocessedUnit unit = read_preprocessed(text);
  const std::vector<ApiCall> calls = parse_static_apis(unit.tokens, diagnostics);
  const Configuration config = check_configuration(calls, diagnostics);
  if (diagnostics.has_errors()) {
    if (diagnostics.render().empty()) {
      std::fprintf(stderr, "fuzz_itron_cfg: refused without saying why\n");
      std::abort();
    }
    return 0;
  }
  if (generate_header(config).empty() || generate_source(config, "kernel_cfg.h").empty()) {
    std::fprintf(stderr, "fuzz_itron_cfg: accepted, but generated nothing\n");
    std::abort();
  }
  return 0;
}
