// itron-cfg tables: initializers for the structs of itron/kernel/kernel_impl.hpp. Every
// entry is preceded by #line so that compiler errors (an undeclared handler, a bad type)
// point at the static API in the .cfg.
#include "tables.hpp"

#include <fmt/format.h>

#include <array>

#include "value_checks.hpp"

namespace itron::cfg {
namespace {

struct ClassTables {
  std::string_view init_type;
  std::string_view cb_type;
  std::string_view init_table;
  std::string_view cb_table;
};

const ClassTables& tables_of(ObjectClass cls) {
  static constexpr std::array<ClassTables, kObjectClassCount> tables = {{
      {"TaskInit", "TaskCB", "tinib_table", "tcb_table"},
      {"SemInit", "SemCB", "seminib_table", "semcb_table"},
      {"FlgInit", "FlgCB", "flginib_table", "flgcb_table"},
      {"DtqInit", "DtqCB", "dtqinib_table", "dtqcb_table"},
      {"MbxInit", "MbxCB", "mbxinib_table", "mbxcb_table"},
      {"MpfInit", "MpfCB", "mpfinib_table", "mpfcb_table"},
      {"CycInit", "CycCB", "cycinib_table", "cyccb_table"},
      {"AlmInit", "AlmCB", "alminib_table", "almcb_table"},
  }};
  return tables[static_cast<std::size_t>(cls)];
}

// "(TYPE)(expr)": every value is converted explicitly, so no initializer narrows.
std::string cast(std::string_view type, const Expr& expr) {
  return fmt::format("({})({})", type, expr.text);
}

std::string area_name(std::string_view kind, const ObjectDef& def) {
  return fmt::format("{}_{}", kind, def.label());
}

std::string task_entry(const ObjectDef& t) {
  const auto& p = t.params;  // tskatr, exinf, task, itskpri, stksz, stk
  const bool own_stack = is_null(p[5]);
  const std::string stack = own_stack ? area_name("stk", t) : cast("STK_T*", p[5]);
  const std::string size = own_stack ? fmt::format("(SIZE)sizeof({})", stack) : cast("SIZE", p[4]);
  const std::string tex =
      t.tex.empty() ? "0U, nullptr" : cast("ATR", t.tex[0]) + ", " + cast("TEXRTN", t.tex[1]);
  return fmt::format("{{ {}, {}, {}, (uint_t)(({}) - TMIN_TPRI), {}, {}, {} }}", cast("ATR", p[0]),
                     cast("intptr_t", p[1]), cast("TASK", p[2]), p[3].text, size, stack, tex);
}

std::string dataqueue_entry(const ObjectDef& d) {
  const auto& p = d.params;  // dtqatr, dtqcnt, dtqmb
  const std::string buffer = is_null(p[2]) ? area_name("dtqmb", d) : cast("intptr_t*", p[2]);
  return fmt::format("{{ {}, {}, {} }}", cast("ATR", p[0]), cast("uint_t", p[1]), buffer);
}

std::string mempfix_entry(const ObjectDef& m) {
  const auto& p = m.params;  // mpfatr, blkcnt, blksz, mpf, mpfmb
  const std::string area = is_null(p[3]) ? area_name("mpf", m) : cast("MPF_T*", p[3]);
  const std::string list = is_null(p[4]) ? area_name("mpfmb", m) : cast("uint_t*", p[4]);
  return fmt::format("{{ {}, {}, (uint_t)ROUND_MPF_T({}), {}, {} }}", cast("ATR", p[0]),
                     cast("uint_t", p[1]), p[2].text, area, list);
}

std::string object_entry(ObjectClass cls, const ObjectDef& def) {
  const auto& p = def.params;
  switch (cls) {
    case ObjectClass::task:
      return task_entry(def);
    case ObjectClass::semaphore:
      return fmt::format("{{ {}, {}, {} }}", cast("ATR", p[0]), cast("uint_t", p[1]),
                         cast("uint_t", p[2]));
    case ObjectClass::eventflag:
      return fmt::format("{{ {}, {} }}", cast("ATR", p[0]), cast("FLGPTN", p[1]));
    case ObjectClass::dataqueue:
      return dataqueue_entry(def);
    case ObjectClass::mailbox:
      return fmt::format("{{ {}, {} }}", cast("ATR", p[0]), cast("PRI", p[1]));
    case ObjectClass::mempfix:
      return mempfix_entry(def);
    case ObjectClass::cyclic:
      return fmt::format("{{ {}, {}, {}, {}, {} }}", cast("ATR", p[0]), cast("intptr_t", p[1]),
                         cast("CYCHDR", p[2]), cast("RELTIM", p[3]), cast("RELTIM", p[4]));
    case ObjectClass::alarm:
      return fmt::format("{{ {}, {}, {} }}", cast("ATR", p[0]), cast("intptr_t", p[1]),
                         cast("ALMHDR", p[2]));
  }
  return {};
}

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
  const auto& p = def.params;
  std::string out;
  if (cls == ObjectClass::task && is_null(p[5])) {
    out += fmt::format("static STK_T {}[COUNT_STK_T(PORT_STACK_SIZE({}))];\n",
                       area_name("stk", def), p[4].text);
  } else if (cls == ObjectClass::dataqueue && is_null(p[2])) {
    out += fmt::format("static intptr_t {}[(uint_t)({}) > 0U ? (uint_t)({}) : 1U];\n",
                       area_name("dtqmb", def), p[1].text, p[1].text);
  } else if (cls == ObjectClass::mempfix) {
    if (is_null(p[3])) {
      out += fmt::format("static MPF_T {}[(uint_t)({}) * COUNT_MPF_T({})];\n",
                         area_name("mpf", def), p[1].text, p[2].text);
    }
    if (is_null(p[4])) {
      out += fmt::format("static uint_t {}[(uint_t)({})];\n", area_name("mpfmb", def), p[1].text);
    }
  }
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
    for (const ObjectDef& def : config.of(cls)) rows.push_back({def.where, object_entry(cls, def)});
    const ClassTables& names = tables_of(cls);
    out += table(names.init_type, names.init_table, rows);
    out += fmt::format("{} {}[{}];\n", names.cb_type, names.cb_table, class_info(cls).tnum);
  }
  return out + "\nTimeEvent* tmevt_heap[TNUM_TSKID + TNUM_CYCID + TNUM_ALMID + 1];\n";
}

std::string handler_tables(const Configuration& config) {
  std::string out;
  if (!config.interrupt_handlers.empty()) {
    out += table("InhInit", "inhinib_table",
                 numbered_rows(config.interrupt_handlers, "INHNO", "ATR", "INTHDR"));
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
    const ClassTables& names = tables_of(cls);
    const std::size_t count = config.of(cls).size();
    out += fmt::format("    {}, {},\n", member(count, class_info(cls).tnum, names.init_table),
                       count == 0 ? "nullptr" : names.cb_table);
  }
  const auto add = [&out](std::size_t count, std::string_view name) {
    out += fmt::format("    {},\n", member(count, fmt::format("{}U", count), name));
  };
  add(config.interrupt_handlers.size(), "inhinib_table");
  add(config.interrupt_lines.size(), "intinib_table");
  add(config.exception_handlers.size(), "excinib_table");
  add(config.initializers.size(), "ininib_table");
  add(config.terminators.size(), "terinib_table");
  return out + "    tmevt_heap,\n};\n";
}

}  // namespace itron::cfg
