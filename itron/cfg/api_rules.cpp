// itron-cfg API rules: packets of μITRON 4.0 (chapter 4) and TOPPERS/ASP static APIs, with
// the attributes kernel.h defines for each (TA_* values in kernel.h). The CRE_* APIs are their
// object classes' (object_classes.cpp).
#include "api_rules.hpp"

#include <array>

#include "object_classes.hpp"

namespace itron::cfg {
namespace {

using enum ApiKind;
using enum ObjectClass;

// The static APIs other than CRE_* (whose shapes come from their classes' rows).
// JSP 1.4 has neither CFG_INT (its lines are enabled by the handler's definition) nor ATT_TER
// (it has VATT_TER).
constexpr unsigned kNotJsp = kAllFlavors & ~static_cast<unsigned>(Flavor::jsp);
constexpr unsigned kJspOnly = static_cast<unsigned>(Flavor::jsp);
constexpr std::array<ApiShape, 8> kOtherApis = {{
    {"DEF_INH", interrupt_handler, task, "inhno, { ... }", "{ inhatr, inthdr }", 2, 2, kAllFlavors},
    {"CFG_INT", interrupt_line, task, "intno, { ... }", "{ intatr, intpri }", 2, 2, kNotJsp},
    {"DEF_EXC", exception_handler, task, "excno, { ... }", "{ excatr, exchdr }", 2, 2, kAllFlavors},
    {"DEF_TEX", task_exception, task, "tskid, { ... }", "{ texatr, texrtn }", 2, 2, kAllFlavors},
    {"ATT_INI", initializer, task, "{ ... }", "{ iniatr, exinf, inirtn }", 3, 3, kAllFlavors},
    {"ATT_TER", terminator, task, "{ ... }", "{ teratr, exinf, terrtn }", 3, 3, kNotJsp},
    // JSP's termination routine (its own extension, as ATT_TER).
    {"VATT_TER", terminator, task, "{ ... }", "{ teratr, exinf, terrtn }", 3, 3, kJspOnly},
    // ASP's interrupt service routines (JSP has none).
    {"ATT_ISR", service_routine, task, "{ ... }", "{ isratr, exinf, intno, isr, isrpri }", 5, 5, kNotJsp},
}};

const std::vector<ApiShape>& all_apis() {
  static const std::vector<ApiShape> apis = [] {
    std::vector<ApiShape> v;
    for (std::size_t c = 0; c < kObjectClassCount; ++c) {
      const auto cls = static_cast<ObjectClass>(c);
      const ObjectClassDef& d = object_class(cls);
      v.push_back({d.api, object, cls, "ID, { ... }", d.packet, d.full, d.shortest, d.flavors});
    }
    v.insert(v.end(), kOtherApis.begin(), kOtherApis.end());
    return v;
  }();
  return apis;
}

}  // namespace

const ApiShape* find_api(std::string_view name) {
  for (const ApiShape& shape : all_apis()) {
    if (shape.name == name) return &shape;
  }
  return nullptr;
}

void check_values(const ApiShape& shape, const std::vector<Expr>& p, ValueChecks& values,
                  const Expr* number) {
  using namespace limits;
  switch (shape.kind) {
    case object:
      object_class(shape.cls).check(p, values);
      break;
    case interrupt_handler:
      values.attribute(p[0], "DEF_INH", 0x00, "TA_HLNG");
      values.port_valid(*number, "PORT_VALID_INHNO", "interrupt handler number");
      break;
    case interrupt_line:
      values.attribute(p[0], "CFG_INT", 0x03, "TA_ENAINT, TA_EDGE");
      values.range(p[1], "interrupt priority", kMinIntPri, kMaxIntPri);
      values.port_valid(*number, "PORT_VALID_INTNO", "interrupt number");
      break;
    case exception_handler:
      values.attribute(p[0], "DEF_EXC", 0x00, "TA_HLNG");
      values.port_valid(*number, "PORT_VALID_EXCNO", "CPU exception handler number");
      break;
    case task_exception:
      values.attribute(p[0], "DEF_TEX", 0x00, "TA_HLNG");
      break;
    case initializer:
      values.attribute(p[0], "ATT_INI", 0x00, "TA_HLNG");
      break;
    case terminator:
      values.attribute(p[0], shape.name, 0x00, "TA_HLNG");
      break;
    case service_routine:
      values.attribute(p[0], "ATT_ISR", 0x00, "TA_NULL");
      values.port_valid(p[2], "PORT_VALID_INTNO", "interrupt number");
      values.range(p[4], "ISR priority", kMinIsrPri, kMaxIsrPri);
      break;
  }
}

}  // namespace itron::cfg
