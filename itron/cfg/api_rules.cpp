// itron-cfg API rules: packets of μITRON 4.0 (chapter 4) and TOPPERS/ASP static APIs, with
// the attributes kernel.h defines for each (TA_* values in kernel.h).
#include "api_rules.hpp"

#include <array>

namespace itron::cfg {
namespace {

using enum ApiKind;
using enum ObjectClass;

constexpr std::array<ApiShape, 14> kApis = {{
    {"CRE_TSK", object, task, "ID, { ... }", "{ tskatr, exinf, task, itskpri, stksz, stk }", 6, 6},
    {"CRE_SEM", object, semaphore, "ID, { ... }", "{ sematr, isemcnt, maxsem }", 3, 3},
    {"CRE_FLG", object, eventflag, "ID, { ... }", "{ flgatr, iflgptn }", 2, 2},
    {"CRE_DTQ", object, dataqueue, "ID, { ... }", "{ dtqatr, dtqcnt, dtqmb }", 3, 3},
    {"CRE_MBX", object, mailbox, "ID, { ... }", "{ mbxatr, maxmpri, mprihd }", 3, 2},
    {"CRE_MPF", object, mempfix, "ID, { ... }", "{ mpfatr, blkcnt, blksz, mpf, mpfmb }", 5, 4},
    {"CRE_CYC", object, cyclic, "ID, { ... }", "{ cycatr, exinf, cychdr, cyctim, cycphs }", 5, 5},
    {"CRE_ALM", object, alarm, "ID, { ... }", "{ almatr, exinf, almhdr }", 3, 3},
    {"DEF_INH", interrupt_handler, task, "inhno, { ... }", "{ inhatr, inthdr }", 2, 2},
    {"CFG_INT", interrupt_line, task, "intno, { ... }", "{ intatr, intpri }", 2, 2},
    {"DEF_EXC", exception_handler, task, "excno, { ... }", "{ excatr, exchdr }", 2, 2},
    {"DEF_TEX", task_exception, task, "tskid, { ... }", "{ texatr, texrtn }", 2, 2},
    {"ATT_INI", initializer, task, "{ ... }", "{ iniatr, exinf, inirtn }", 3, 3},
    {"ATT_TER", terminator, task, "{ ... }", "{ teratr, exinf, terrtn }", 3, 3},
}};

void check_object(ObjectClass cls, const std::vector<Expr>& p, ValueChecks& values) {
  using namespace limits;
  switch (cls) {
    case task:
      values.attribute(p[0], "CRE_TSK", 0x03, "TA_HLNG, TA_ASM, TA_ACT");
      values.range(p[3], "task priority", kMinTaskPri, kMaxTaskPri);
      values.range(p[4], "stack size", kOne, std::nullopt);
      break;
    case semaphore:
      values.attribute(p[0], "CRE_SEM", 0x01, "TA_TFIFO, TA_TPRI");
      values.range(p[1], "initial semaphore count", kZero, std::nullopt);
      values.range(p[2], "maximum semaphore count", kOne, kMaxSem);
      values.not_above(p[1], p[2], "initial semaphore count", "maximum semaphore count");
      break;
    case eventflag:
      values.attribute(p[0], "CRE_FLG", 0x07, "TA_TFIFO, TA_TPRI, TA_WSGL, TA_WMUL, TA_CLR");
      break;
    case dataqueue:
      values.attribute(p[0], "CRE_DTQ", 0x01, "TA_TFIFO, TA_TPRI");
      values.range(p[1], "data queue capacity", kZero, std::nullopt);
      break;
    case mailbox:
      values.attribute(p[0], "CRE_MBX", 0x03, "TA_TFIFO, TA_TPRI, TA_MFIFO, TA_MPRI");
      values.range(p[1], "maximum message priority", kMinMsgPri, kMaxMsgPri);
      values.null_only(p[2], "mprihd");
      break;
    case mempfix:
      values.attribute(p[0], "CRE_MPF", 0x01, "TA_TFIFO, TA_TPRI");
      values.range(p[1], "block count", kOne, std::nullopt);
      values.range(p[2], "block size", kOne, std::nullopt);
      break;
    case cyclic:
      values.attribute(p[0], "CRE_CYC", 0x06, "TA_HLNG, TA_STA, TA_PHS");
      values.range(p[3], "cyclic period", kOne, kMaxRelTim);
      values.range(p[4], "cyclic phase", kZero, kMaxRelTim);
      break;
    case alarm:
      values.attribute(p[0], "CRE_ALM", 0x00, "TA_HLNG");
      break;
  }
}

}  // namespace

const ApiShape* find_api(std::string_view name) {
  for (const ApiShape& shape : kApis) {
    if (shape.name == name) return &shape;
  }
  return nullptr;
}

void check_values(const ApiShape& shape, const std::vector<Expr>& p, ValueChecks& values,
                  const Expr* number) {
  using namespace limits;
  switch (shape.kind) {
    case object:
      check_object(shape.cls, p, values);
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
      values.attribute(p[0], "ATT_TER", 0x00, "TA_HLNG");
      break;
  }
}

}  // namespace itron::cfg
