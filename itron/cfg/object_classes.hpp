// itron-cfg object classes: everything the configurator knows of a kernel object class that a
// CRE_* static API creates, in one row per class (object_classes.cpp): its static API and
// packet, the checks of its values, and what kernel_cfg.cpp holds for it (its tables, the
// initializer of one entry, the areas allocated for a NULL in its packet).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "value_checks.hpp"

namespace itron::cfg {

struct ObjectClassDef {
  std::string_view api;         // "CRE_TSK"
  std::string_view noun;        // "task": used in messages
  std::string_view tnum;        // "TNUM_TSKID": the ID header's count macro
  std::string_view stem;        // "tsk": the kernel's short name
  std::string_view packet;      // "{ tskatr, exinf, task, itskpri, stksz, stk }", for messages
  std::size_t full;             // elements of the μITRON 4.0 packet
  std::size_t shortest;         // fewer in a TOPPERS/JSP form; the rest are NULL
  unsigned flavors;             // the Flavor bits of the kernels that have the class
  std::string_view init_type;   // "TaskInit": the row type of its initialization table
  std::string_view cb_type;     // "TaskCB": its control block
  std::string_view init_table;  // "tinib_table"
  std::string_view cb_table;    // "tcb_table"
  // The checks of a completed packet's values.
  void (*check)(const std::vector<Expr>& params, ValueChecks& values);
  // The initializer of the object's row in `init_table`.
  std::string (*entry)(const ObjectDef& def);
  // Definitions of the areas allocated for the NULLs in its packet ("" for none).
  std::string (*areas)(const ObjectDef& def);
};

[[nodiscard]] const ObjectClassDef& object_class(ObjectClass cls);

// "(TYPE)(expr)": every generated value is converted explicitly, so no initializer narrows.
[[nodiscard]] std::string cast(std::string_view type, const Expr& expr);

}  // namespace itron::cfg
