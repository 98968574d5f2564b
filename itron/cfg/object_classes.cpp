// itron-cfg object classes (object_classes.hpp): one row per class, in the order of
// ObjectClass (itron::Config's members). Packets of μITRON 4.0 (chapter 4) and TOPPERS/ASP,
// attributes as kernel.h defines them, initializers for the structs of
// itron/kernel/kernel_impl.hpp.
#include "object_classes.hpp"

#include <fmt/format.h>

#include <array>

namespace itron::cfg {

std::string cast(std::string_view type, const Expr& expr) { return fmt::format("({})({})", type, expr.text); }

namespace {

using namespace limits;
using Params = std::vector<Expr>;

// The name of an area the configurator allocates for `def`: stk_TASK1.
std::string area_name(std::string_view kind, const ObjectDef& def) { return fmt::format("{}_{}", kind, def.label()); }

// Allocates nothing.
std::string no_areas(const ObjectDef&) { return {}; }

// ---- Tasks: { tskatr, exinf, task, itskpri, stksz, stk } -----------------------------------

void check_task(const Params& p, ValueChecks& values) {
  values.attribute(p[0], "CRE_TSK", 0x03, "TA_HLNG, TA_ASM, TA_ACT");
  values.range(p[3], "task priority", kMinTaskPri, kMaxTaskPri);
  values.range(p[4], "stack size", kOne, std::nullopt);
}

std::string task_entry(const ObjectDef& t) {
  const Params& p = t.params;
  const bool own_stack = is_null(p[5]);
  const std::string stack = own_stack ? area_name("stk", t) : cast("STK_T*", p[5]);
  const std::string size = own_stack ? fmt::format("(SIZE)sizeof({})", stack) : cast("SIZE", p[4]);
  const std::string tex = t.tex.empty() ? "0U, nullptr" : cast("ATR", t.tex[0]) + ", " + cast("TEXRTN", t.tex[1]);
  return fmt::format("{{ {}, {}, {}, (uint_t)(({}) - TMIN_TPRI), {}, {}, {} }}", cast("ATR", p[0]),
                     cast("intptr_t", p[1]), cast("TASK", p[2]), p[3].text, size, stack, tex);
}

std::string task_areas(const ObjectDef& t) {
  if (!is_null(t.params[5])) return {};
  return fmt::format("static STK_T {}[COUNT_STK_T(PORT_STACK_SIZE({}))];\n", area_name("stk", t), t.params[4].text);
}

// ---- Semaphores: { sematr, isemcnt, maxsem } -----------------------------------------------

void check_semaphore(const Params& p, ValueChecks& values) {
  values.attribute(p[0], "CRE_SEM", 0x01, "TA_TFIFO, TA_TPRI");
  values.range(p[1], "initial semaphore count", kZero, std::nullopt);
  values.range(p[2], "maximum semaphore count", kOne, kMaxSem);
  values.not_above(p[1], p[2], "initial semaphore count", "maximum semaphore count");
}

std::string semaphore_entry(const ObjectDef& s) {
  const Params& p = s.params;
  return fmt::format("{{ {}, {}, {} }}", cast("ATR", p[0]), cast("uint_t", p[1]), cast("uint_t", p[2]));
}

// ---- Eventflags: { flgatr, iflgptn } -------------------------------------------------------

void check_eventflag(const Params& p, ValueChecks& values) {
  values.attribute(p[0], "CRE_FLG", 0x07, "TA_TFIFO, TA_TPRI, TA_WSGL, TA_WMUL, TA_CLR");
}

std::string eventflag_entry(const ObjectDef& f) {
  return fmt::format("{{ {}, {} }}", cast("ATR", f.params[0]), cast("FLGPTN", f.params[1]));
}

// ---- Data queues: { dtqatr, dtqcnt, dtqmb } ------------------------------------------------

void check_dataqueue(const Params& p, ValueChecks& values) {
  values.attribute(p[0], "CRE_DTQ", 0x01, "TA_TFIFO, TA_TPRI");
  values.range(p[1], "data queue capacity", kZero, std::nullopt);
}

std::string dataqueue_entry(const ObjectDef& d) {
  const Params& p = d.params;
  const std::string buffer = is_null(p[2]) ? area_name("dtqmb", d) : cast("intptr_t*", p[2]);
  return fmt::format("{{ {}, {}, {} }}", cast("ATR", p[0]), cast("uint_t", p[1]), buffer);
}

std::string dataqueue_areas(const ObjectDef& d) {
  const Params& p = d.params;
  if (!is_null(p[2])) return {};
  return fmt::format("static intptr_t {}[(uint_t)({}) > 0U ? (uint_t)({}) : 1U];\n", area_name("dtqmb", d),
                     p[1].text, p[1].text);
}

// ---- Mailboxes: { mbxatr, maxmpri, mprihd } ------------------------------------------------

void check_mailbox(const Params& p, ValueChecks& values) {
  values.attribute(p[0], "CRE_MBX", 0x03, "TA_TFIFO, TA_TPRI, TA_MFIFO, TA_MPRI");
  values.range(p[1], "maximum message priority", kMinMsgPri, kMaxMsgPri);
  values.null_only(p[2], "mprihd");
}

std::string mailbox_entry(const ObjectDef& m) {
  return fmt::format("{{ {}, {} }}", cast("ATR", m.params[0]), cast("PRI", m.params[1]));
}

// ---- Fixed-size memory pools: { mpfatr, blkcnt, blksz, mpf, mpfmb } ------------------------

void check_mempfix(const Params& p, ValueChecks& values) {
  values.attribute(p[0], "CRE_MPF", 0x01, "TA_TFIFO, TA_TPRI");
  values.range(p[1], "block count", kOne, std::nullopt);
  values.range(p[2], "block size", kOne, std::nullopt);
}

std::string mempfix_entry(const ObjectDef& m) {
  const Params& p = m.params;
  const std::string area = is_null(p[3]) ? area_name("mpf", m) : cast("MPF_T*", p[3]);
  const std::string list = is_null(p[4]) ? area_name("mpfmb", m) : cast("uint_t*", p[4]);
  return fmt::format("{{ {}, {}, (uint_t)ROUND_MPF_T({}), {}, {} }}", cast("ATR", p[0]), cast("uint_t", p[1]),
                     p[2].text, area, list);
}

std::string mempfix_areas(const ObjectDef& m) {
  const Params& p = m.params;
  std::string out;
  if (is_null(p[3]))
    out += fmt::format("static MPF_T {}[(uint_t)({}) * COUNT_MPF_T({})];\n", area_name("mpf", m), p[1].text, p[2].text);
  if (is_null(p[4])) out += fmt::format("static uint_t {}[(uint_t)({})];\n", area_name("mpfmb", m), p[1].text);
  return out;
}

// ---- Cyclic handlers: { cycatr, exinf, cychdr, cyctim, cycphs } ----------------------------

void check_cyclic(const Params& p, ValueChecks& values) {
  values.attribute(p[0], "CRE_CYC", 0x06, "TA_HLNG, TA_STA, TA_PHS");
  values.range(p[3], "cyclic period", kOne, kMaxRelTim);
  values.range(p[4], "cyclic phase", kZero, kMaxRelTim);
}

std::string cyclic_entry(const ObjectDef& c) {
  const Params& p = c.params;
  return fmt::format("{{ {}, {}, {}, {}, {} }}", cast("ATR", p[0]), cast("intptr_t", p[1]), cast("CYCHDR", p[2]),
                     cast("RELTIM", p[3]), cast("RELTIM", p[4]));
}

// ---- Alarm handlers: { almatr, exinf, almhdr } ---------------------------------------------

void check_alarm(const Params& p, ValueChecks& values) { values.attribute(p[0], "CRE_ALM", 0x00, "TA_HLNG"); }

std::string alarm_entry(const ObjectDef& a) {
  const Params& p = a.params;
  return fmt::format("{{ {}, {}, {} }}", cast("ATR", p[0]), cast("intptr_t", p[1]), cast("ALMHDR", p[2]));
}

// ---- Priority data queues (ASP): { pdqatr, pdqcnt, maxdpri, pdqmb } ---------------------------

void check_priority_dataqueue(const Params& p, ValueChecks& values) {
  values.attribute(p[0], "CRE_PDQ", 0x01, "TA_TFIFO, TA_TPRI");
  values.range(p[1], "priority data queue capacity", kZero, std::nullopt);
  values.range(p[2], "maximum data priority", kMinDataPri, kMaxDataPri);
}

std::string priority_dataqueue_entry(const ObjectDef& d) {
  const Params& p = d.params;
  const std::string nodes = is_null(p[3]) ? area_name("pdqmb", d) : cast("PdqNode*", p[3]);
  return fmt::format("{{ {}, {}, {}, {} }}", cast("ATR", p[0]), cast("uint_t", p[1]), cast("PRI", p[2]), nodes);
}

std::string priority_dataqueue_areas(const ObjectDef& d) {
  const Params& p = d.params;
  if (!is_null(p[3])) return {};
  return fmt::format("static PdqNode {}[(uint_t)({}) > 0U ? (uint_t)({}) : 1U];\n", area_name("pdqmb", d),
                     p[1].text, p[1].text);
}

// JSP 1.4 has neither alarm handlers nor priority data queues (ASP's extensions of μITRON
// 4.0's Standard Profile).
constexpr unsigned kNotJsp = kAllFlavors & ~static_cast<unsigned>(Flavor::jsp);

// The table: one row per class, in ObjectClass order.
constexpr std::array<ObjectClassDef, kObjectClassCount> kClasses = {{
    {"CRE_TSK", "task", "TNUM_TSKID", "tsk", "{ tskatr, exinf, task, itskpri, stksz, stk }", 6, 6, kAllFlavors, "TaskInit",
     "TaskCB", "tinib_table", "tcb_table", check_task, task_entry, task_areas},
    {"CRE_SEM", "semaphore", "TNUM_SEMID", "sem", "{ sematr, isemcnt, maxsem }", 3, 3, kAllFlavors, "SemInit", "SemCB",
     "seminib_table", "semcb_table", check_semaphore, semaphore_entry, no_areas},
    {"CRE_FLG", "eventflag", "TNUM_FLGID", "flg", "{ flgatr, iflgptn }", 2, 2, kAllFlavors, "FlgInit", "FlgCB", "flginib_table",
     "flgcb_table", check_eventflag, eventflag_entry, no_areas},
    {"CRE_DTQ", "data queue", "TNUM_DTQID", "dtq", "{ dtqatr, dtqcnt, dtqmb }", 3, 3, kAllFlavors, "DtqInit", "DtqCB",
     "dtqinib_table", "dtqcb_table", check_dataqueue, dataqueue_entry, dataqueue_areas},
    {"CRE_MBX", "mailbox", "TNUM_MBXID", "mbx", "{ mbxatr, maxmpri, mprihd }", 3, 2, kAllFlavors, "MbxInit", "MbxCB",
     "mbxinib_table", "mbxcb_table", check_mailbox, mailbox_entry, no_areas},
    {"CRE_MPF", "fixed-size memory pool", "TNUM_MPFID", "mpf", "{ mpfatr, blkcnt, blksz, mpf, mpfmb }", 5, 4, kAllFlavors,
     "MpfInit", "MpfCB", "mpfinib_table", "mpfcb_table", check_mempfix, mempfix_entry, mempfix_areas},
    {"CRE_CYC", "cyclic handler", "TNUM_CYCID", "cyc", "{ cycatr, exinf, cychdr, cyctim, cycphs }", 5, 5, kAllFlavors, "CycInit",
     "CycCB", "cycinib_table", "cyccb_table", check_cyclic, cyclic_entry, no_areas},
    {"CRE_ALM", "alarm handler", "TNUM_ALMID", "alm", "{ almatr, exinf, almhdr }", 3, 3, kNotJsp, "AlmInit", "AlmCB",
     "alminib_table", "almcb_table", check_alarm, alarm_entry, no_areas},
    {"CRE_PDQ", "priority data queue", "TNUM_PDQID", "pdq", "{ pdqatr, pdqcnt, maxdpri, pdqmb }", 4, 4, kNotJsp,
     "PdqInit", "PdqCB", "pdqinib_table", "pdqcb_table", check_priority_dataqueue, priority_dataqueue_entry,
     priority_dataqueue_areas},
}};

}  // namespace

const ObjectClassDef& object_class(ObjectClass cls) { return kClasses[static_cast<std::size_t>(cls)]; }

}  // namespace itron::cfg
