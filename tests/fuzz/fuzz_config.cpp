// Fuzz target: the system configuration (tools/gandalf-config: TOML parse, checks, layout,
// isolation proof). Input: the text of a .toml file.
//
// Whatever the text, load_text must return (bad input is a diagnostic, never an exception, an
// assertion or undefined behaviour). When it accepts the text, the tables it generated are
// checked here against the isolation rules stated independently of the checker and its proof:
// no two partitions share a byte of segment (virtual) or of RAM (physical), none reaches
// Gandalf's, every segment stays inside its partition's memory and below Gandalf's window,
// and everything lies in the RAM the system declares.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "config_model.hpp"

namespace {

struct Range {
  std::uint64_t first, end;  // [first, end)
  bool overlaps(const Range& o) const { return first < o.end && o.first < end; }
};

[[noreturn]] void fail(const std::string& why, std::string_view text) {
  std::fprintf(stderr, "fuzz_config: accepted a configuration that breaks isolation: %s\n--- input ---\n%.*s\n",
               why.c_str(), static_cast<int>(text.size()), text.data());
  std::abort();
}

void check_isolation(const gandalf::tool::Model& m, std::string_view text) {
  const auto& sys = m.system;
  const Range gandalf_phys{sys.gandalf_phys, std::uint64_t{sys.gandalf_phys} + sys.gandalf_memory};
  if (gandalf_phys.end > sys.ram_bytes) fail("Gandalf's memory lies beyond the RAM", text);
  std::vector<Range> virt, phys;
  for (const auto& p : m.partitions) {
    const Range v{p.virt_base, std::uint64_t{p.virt_base} + p.seg_limit + 1};
    const Range r{p.phys_base, std::uint64_t{p.phys_base} + p.memory};
    const std::string who = p.name;  // NUL-terminated by the generator
    if (p.memory == 0) fail(who + " has no memory", text);
    if (std::uint64_t{p.seg_limit} + 1 > p.memory && p.kind != gandalf::config::Kind::linux_slot)
      fail(who + "'s segment is larger than its memory", text);
    if (v.end > sys.gandalf_virt) fail(who + "'s segment reaches Gandalf's window", text);
    if (r.end > sys.ram_bytes) fail(who + "'s memory lies beyond the RAM", text);
    if (r.overlaps(gandalf_phys)) fail(who + "'s memory overlaps Gandalf's", text);
    for (std::size_t i = 0; i < virt.size(); ++i) {
      if (v.overlaps(virt[i])) fail(who + "'s segment overlaps " + m.partitions[i].name + "'s", text);
      if (r.overlaps(phys[i])) fail(who + "'s memory overlaps " + m.partitions[i].name + "'s", text);
    }
    virt.push_back(v);
    phys.push_back(r);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const gandalf::tool::Model m = gandalf::tool::load_text(text, "fuzz.toml");
  if (m.ok()) check_isolation(m, text);
  else if (m.diagnostics.render().empty()) {
    std::fprintf(stderr, "fuzz_config: refused without saying why\n");
    std::abort();
  }
  return 0;
}
