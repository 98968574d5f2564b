// itron-cfg tables: initializers for the structs of itron/kernel/kernel_impl.hpp. Every
// entry is preceded by #line so that compiler errors (an undeclared handler, a bad type)
// point at the static API in the .cfg.
#include "tables.hpp"

#include <fmt/format.h>


#include "object_classes.hpp"

namespace itron::cfg {
namespace {

struct Entry {
  Location where;
  std::string init;
};

std::string table(std::string_view type, std::string_view name, const std::vector<Entry>& rows) {
  std::string out = fmt::format("\nconst {} {}[] = {{\n", type, name);
  for (const Entry& row : rows) out += line_directive(row.where) + "    " + row.init + ",\n";
  return out + "};\n";
}

// The areas one object needs when its .cfg gave NULL.
std::string areas_of(ObjectClass cls, const ObjectDef& def) {
  const std::string out = object_class(cls).areas(def);
  return out.empty() ? out : line_directive(def.where) + out;
}

std::vector<Entry> numbered_rows(const std::vector<NumberedDef>& defs, std::string_view number,
                                 std::string_view attr, std::string_view last) {
  std::vector<Entry> rows;
  for (const NumberedDef& def : defs) {
    rows.push_back({def.where, fmt::format("{{ {}, {}, {} }}", cast(number, def.number),
                                           cast(attr, def.params[0]), cast(last, def.params[1]))});
  }
  return rows;
}

std::vector<Entry> routine_rows(const std::vector<RoutineDef>& defs) {
  std::vector<Entry> rows;
  for (const RoutineDef& def : defs) {
    rows.push_back({def.where, fmt::format("{{ {}, {}, {} }}", cast("ATR", def.params[0]),
                                           cast("intptr_t", def.params[1]),
                                           cast("void (*)(intptr_t)", def.params[2]))});
  }
  return rows;
}

// "count, table," or "0U, nullptr," for a class without entries (no zero-length arrays).
std::string member(std::size_t count, std::string_view count_text, std::string_view name) {
  return count == 0 ? "0U, nullptr" : fmt::format("{}, {}", count_text, name);
}

}  // namespace

std::string line_directive(const Location& where) {
  return fmt::format("#line {} {}\n", where.line, c_string(where.file));
}

std::string c_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + '"';
}

std::string allocated_areas(const Configuration& config) {
  std::string out;
  for (std::size_t c = 0; c < kObjectClassCount; ++c) {
    for (const ObjectDef& def : config.objects[c])
      out += areas_of(static_cast<ObjectClass>(c), def);
  }
  return out.empty() ? out : "\n/* Areas the configurator allocates. */\n" + out;
}

std::string object_tables(const Configuration& config) {
  std::string out;
  for (std::size_t c = 0; c < kObjectClassCount; ++c) {
    const auto cls = static_cast<ObjectClass>(c);
    if (config.of(cls).empty()) continue;
    std::vector<Entry> rows;
    const ObjectClassDef& names = object_class(cls);
    for (const ObjectDef& def : config.of(cls)) rows.push_back({def.where, names.entry(def)});
    out += table(names.init_type, names.init_table, rows);
    out += fmt::format("{} {}[{}];\n", names.cb_type, names.cb_table, names.tnum);
  }
  return out + "\nTimeEvent* tmevt_heap[TNUM_TSKID + TNUM_CYCID + TNUM_ALMID + 1];\n";
}

// One handler per ATT_ISR, for its line: the kernel runs that line's ISRs in order.
std::string isr_entries(const Configuration& config) {
  std::string out;
  for (std::size_t i = 0; i < config.service_routines.size(); ++i) {
    const RoutineDef& isr = config.service_routines[i];
    out += line_directive(isr.where) +
           fmt::format("static void isr_line_{}(void) {{ itron_run_isrs({}); }}\n", i, cast("INTNO", isr.params[2]));
  }
  return out.empty() ? out : "\n/* The lines of ATT_ISR: each runs its ISRs (service_routine.cpp). */\n" + out;
}

std::vector<Entry> isr_handler_rows(const Configuration& config) {
  std::vector<Entry> rows;
  for (std::size_t i = 0; i < config.service_routines.size(); ++i) {
    const RoutineDef& isr = config.service_routines[i];
    rows.push_back({isr.where, fmt::format("{{ {}, TA_NULL, isr_line_{} }}", cast("INHNO", isr.params[2]), i)});
  }
  return rows;
}

std::vector<Entry> isr_rows(const Configuration& config) {
  std::vector<Entry> rows;
  for (const RoutineDef& isr : config.service_routines) {
    const auto& p = isr.params;
    rows.push_back({isr.where, fmt::format("{{ {}, {}, {}, {} }}", cast("INTNO", p[2]), cast("PRI", p[4]),
                                           cast("ISR", p[3]), cast("intptr_t", p[1]))});
  }
  return rows;
}

std::string handler_tables(const Configuration& config) {
  std::string out = isr_entries(config);
  if (!config.interrupt_handlers.empty() || !config.service_routines.empty()) {
    std::vector<Entry> rows = numbered_rows(config.interrupt_handlers, "INHNO", "ATR", "INTHDR");
    for (Entry& row : isr_handler_rows(config)) rows.push_back(std::move(row));
    out += table("InhInit", "inhinib_table", rows);
  }
  if (!config.service_routines.empty()) {
    out += table("IsrInit", "isrinib_table", isr_rows(config));
    out += fmt::format("uint32_t isr_order[{}];\n", config.service_routines.size());
  }
  if (!config.interrupt_lines.empty()) {
    out += table("IntInit", "intinib_table",
                 numbered_rows(config.interrupt_lines, "INTNO", "ATR", "PRI"));
  }
  if (!config.exception_handlers.empty()) {
    out += table("ExcInit", "excinib_table",
                 numbered_rows(config.exception_handlers, "EXCNO", "ATR", "EXCHDR"));
  }
  if (!config.initializers.empty()) {
    out += table("RtnInit", "ininib_table", routine_rows(config.initializers));
  }
  if (!config.terminators.empty()) {
    out += table("RtnInit", "terinib_table", routine_rows(config.terminators));
  }
  return out;
}

std::string config_definition(const Configuration& config) {
  std::string out = "\nextern \"C\" constinit const Config itron_config = {\n";
  for (std::size_t c = 0; c < kObjectClassCount; ++c) {
    const auto cls = static_cast<ObjectClass>(c);
    const ObjectClassDef& names = object_class(cls);
    const std::size_t count = config.of(cls).size();
    out += fmt::format("    {}, {},\n", member(count, names.tnum, names.init_table),
                       count == 0 ? "nullptr" : names.cb_table);
  }
  const auto add = [&out](std::size_t count, std::string_view name) {
    out += fmt::format("    {},\n", member(count, fmt::format("{}U", count), name));
  };
  add(config.interrupt_handlers.size() + config.service_routines.size(), "inhinib_table");
  add(config.interrupt_lines.size(), "intinib_table");
  add(config.exception_handlers.size(), "excinib_table");
  add(config.initializers.size(), "ininib_table");
  add(config.terminators.size(), "terinib_table");
  const std::size_t isrs = config.service_routines.size();
  out += fmt::format("    {}, {},\n", member(isrs, fmt::format("{}U", isrs), "isrinib_table"),
                     isrs == 0 ? "nullptr" : "isr_order");
  return out + "    tmevt_heap,\n};\n";
}

}  // namespace itron::cfg
