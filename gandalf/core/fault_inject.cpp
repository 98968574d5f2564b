// Fault injection for the containment tests: Gandalf itself breaks something a guest relies
// on, at a chosen time, to prove that the damage stays with that guest. Linked only into
// systems built with gandalf_system(... FAULT_INJECTION); the product images have none.
//
// Gandalf's command line takes `inject=KIND,PARTITION,ARG,TICK`:
//   gdt_np,NAME,ENTRY,T  at timer tick T, mark entry ENTRY (1..31) of NAME's GDT not present,
//                        as a descriptor-table change (Linux's GDT, an LDT) would while the
//                        guest still holds the selector in a segment register or a frame.
#include <cstring>

#include "gandalf/arch/ia32/cpu_state.hpp"
#include "gandalf/core/console.hpp"
#include "gandalf/core/vmm.hpp"

namespace gandalf::core {
namespace {

struct Injection {
  bool armed = false;
  char partition[16]{};
  std::uint32_t entry = 0;
  std::uint32_t at_tick = 0;
  std::uint32_t ticks = 0;
};
constinit Injection injection{};

// Copies the next comma- or space-terminated field of `s` into `out`; returns the rest.
const char* field(const char* s, char* out, std::size_t size) {
  std::size_t n = 0;
  while (*s && *s != ',' && *s != ' ') {
    if (n + 1 < size) out[n++] = *s;
    ++s;
  }
  out[n] = '\0';
  return *s == ',' ? s + 1 : s;
}

// The text after `key` where it starts a word of the command line, or nullptr.
const char* after_word(const char* line, const char* key) {
  const std::size_t n = std::strlen(key);
  for (const char* w = line; *w; ++w)
    if ((w == line || w[-1] == ' ') && std::strncmp(w, key, n) == 0) return w + n;
  return nullptr;
}

std::uint32_t number(const char* s) {
  std::uint32_t v = 0;
  while (*s >= '0' && *s <= '9') v = v * 10 + static_cast<std::uint32_t>(*s++ - '0');
  return v;
}

}  // namespace
}  // namespace gandalf::core

extern "C" void gandalf_fault_inject_init() {
  using namespace gandalf::core;
  const char* spec = after_word(gandalf_cmdline, "inject=");
  if (spec == nullptr) return;
  char kind[16], entry[8], tick[12];
  spec = field(spec, kind, sizeof kind);
  spec = field(spec, injection.partition, sizeof injection.partition);
  spec = field(spec, entry, sizeof entry);
  field(spec, tick, sizeof tick);
  injection.entry = number(entry);
  injection.at_tick = number(tick);
  if (std::strcmp(kind, "gdt_np") != 0 || find_partition(injection.partition) == nullptr ||
      injection.entry == 0 || injection.entry >= gandalf::ia32::gdt::guest_window) {
    gandalf::console::report("gandalf: inject: cannot parse '%s'\n", gandalf_cmdline);
    return;
  }
  injection.armed = true;
  gandalf::console::report("gandalf: inject: %s GDT entry %u not present at tick %u\n",
                          injection.partition, injection.entry, injection.at_tick);
}

extern "C" void gandalf_fault_inject_tick() {
  using namespace gandalf::core;
  if (!injection.armed || ++injection.ticks < injection.at_tick) return;
  injection.armed = false;
  Partition* p = find_partition(injection.partition);
  gandalf::ia32::set_guest_descriptor_present(p->index, injection.entry, false);
  gandalf::console::report("gandalf: inject: %s GDT entry %u is now not present\n", p->cfg->name,
                          injection.entry);
}
