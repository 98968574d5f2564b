// itron-cfg model: the checked configuration that the generator turns into C++.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parser.hpp"

namespace itron::cfg {

// The kernel object classes that CRE_* creates, in the order of itron::Config's members.
// The specification an application was written for (itron_application's FLAVOR).
enum class Flavor : unsigned { itron = 1, asp = 2, jsp = 4 };
inline constexpr unsigned kAllFlavors = 1 | 2 | 4;
[[nodiscard]] constexpr std::string_view flavor_name(Flavor f) {
  return f == Flavor::asp ? "TOPPERS/ASP 1.9" : f == Flavor::jsp ? "TOPPERS/JSP 1.4" : "μITRON 4.0";
}

enum class ObjectClass : std::size_t {
  task,
  semaphore,
  eventflag,
  dataqueue,
  mailbox,
  mempfix,
  cyclic,
  alarm,
  priority_dataqueue
};
inline constexpr std::size_t kObjectClassCount = 9;

// (Everything else the configurator knows of a class is its row in object_classes.cpp.)

// One CRE_* call; the packet is completed to its full (μITRON 4.0) form.
struct ObjectDef {
  std::string name;  // empty when the ID was an integer literal
  std::uint32_t id = 0;
  Location where;
  std::vector<Expr> params;
  // DEF_TEX for a task: { texatr, texrtn }, empty without one.
  std::vector<Expr> tex;
  Location tex_where;

  // The ID as the generated code spells it in names: TASK1 or 3.
  [[nodiscard]] std::string label() const { return name.empty() ? std::to_string(id) : name; }
};

// DEF_INH, CFG_INT or DEF_EXC: a number and its packet.
struct NumberedDef {
  Expr number;
  Location where;
  std::vector<Expr> params;
};

// ATT_INI or ATT_TER.
struct RoutineDef {
  Location where;
  std::vector<Expr> params;
};

// A check the tool could not evaluate, left to the compiler as a static_assert.
struct StaticCheck {
  Location where;
  std::string condition;
  std::string message;  // already prefixed with "FILE:LINE: "
};

// A header the generated source includes: its operand ("x.h" or <x.h>) and origin.
struct AppHeader {
  std::string spelled;
  Location where;
};

struct Configuration {
  std::string source_name;  // the top .cfg file, for the banner
  std::array<std::vector<ObjectDef>, kObjectClassCount> objects;  // each sorted by ID
  std::vector<NumberedDef> interrupt_handlers;                    // DEF_INH
  std::vector<NumberedDef> interrupt_lines;                       // CFG_INT
  std::vector<NumberedDef> exception_handlers;                    // DEF_EXC
  std::vector<RoutineDef> initializers;                           // ATT_INI, in .cfg order
  std::vector<RoutineDef> terminators;                            // ATT_TER, in .cfg order
  std::vector<RoutineDef> service_routines;                       // ATT_ISR, in .cfg order
  std::vector<AppHeader> headers;
  std::vector<StaticCheck> checks;

  [[nodiscard]] const std::vector<ObjectDef>& of(ObjectClass cls) const {
    return objects[static_cast<std::size_t>(cls)];
  }
};

}  // namespace itron::cfg
