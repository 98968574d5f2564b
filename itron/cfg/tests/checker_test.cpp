// Unit tests of the checker: shapes, IDs, DEF_TEX, value checks and deferred checks.
#include "checker.hpp"

#include <gtest/gtest.h>

namespace itron::cfg {
namespace {

struct Checked {
  Configuration config;
  std::string errors;
};

Checked check(std::string_view cfg_text, Flavor flavor = Flavor::itron) {
  Diagnostics diagnostics;
  const auto calls = parse_static_apis(tokenize(cfg_text, {"a.cfg", 1}), diagnostics);
  Configuration config = check_configuration(calls, diagnostics, flavor);
  return {std::move(config), diagnostics.render()};
}

std::vector<std::pair<std::string, std::uint32_t>> ids(const Configuration& config,
                                                       ObjectClass cls) {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  for (const ObjectDef& def : config.of(cls)) out.emplace_back(def.label(), def.id);
  return out;
}

TEST(Checker, IdsInOrderOfAppearancePerClass) {
  const Checked r = check(
      "CRE_TSK(T1, {0x02U, 0, t1, 1, 512, NULL});\n"
      "CRE_SEM(S1, {0, 0, 1});\n"
      "CRE_TSK(T2, {0, 0, t2, 2, 512, NULL});\n");
  EXPECT_EQ(r.errors, "");
  using V = std::vector<std::pair<std::string, std::uint32_t>>;
  EXPECT_EQ(ids(r.config, ObjectClass::task), (V{{"T1", 1}, {"T2", 2}}));
  EXPECT_EQ(ids(r.config, ObjectClass::semaphore), (V{{"S1", 1}}));
}

// A static API the flavour's kernel lacks is refused at its line, naming the flavour; the
// others stay accepted in every flavour.
TEST(Checker, StaticApisOfAnotherFlavourAreErrors) {
  const std::string_view jsp_lacks =
      "CRE_SEM(S1, {0, 0, 1});\n"
      "CFG_INT(3, {0, -1});\n"
      "CRE_ALM(A1, {0, 0, h});\n"
      "ATT_TER({0, 0, t});\n"
      "CRE_PDQ(P1, {0, 2, 4, NULL});\n";
  EXPECT_EQ(check(jsp_lacks, Flavor::jsp).errors,
            "a.cfg:2: error: E_RSFN: CFG_INT is not a static API of TOPPERS/JSP 1.4, this application's flavour\n"
            "a.cfg:3: error: E_RSFN: CRE_ALM is not a static API of TOPPERS/JSP 1.4, this application's flavour\n"
            "a.cfg:4: error: E_RSFN: ATT_TER is not a static API of TOPPERS/JSP 1.4, this application's flavour\n"
            "a.cfg:5: error: E_RSFN: CRE_PDQ is not a static API of TOPPERS/JSP 1.4, this application's flavour\n");
  EXPECT_EQ(check(jsp_lacks, Flavor::asp).errors, "");
  EXPECT_EQ(check(jsp_lacks, Flavor::itron).errors, "");
}

TEST(Checker, PriorityDataQueueValues) {
  EXPECT_EQ(check("CRE_PDQ(P1, {TA_TPRI, 0, 16, NULL});\n").errors, "");
  EXPECT_NE(check("CRE_PDQ(P1, {0, 2, 17, NULL});\n").errors.find("maximum data priority"), std::string::npos);
  EXPECT_NE(check("CRE_PDQ(P1, {0, 2, 0, NULL});\n").errors.find("maximum data priority"), std::string::npos);
  EXPECT_NE(check("CRE_PDQ(P1, {0x02, 2, 4, NULL});\n").errors.find("E_RSATR"), std::string::npos);
  EXPECT_NE(check("CRE_PDQ(P1, {0, 2, 4});\n").errors.find("E_PAR"), std::string::npos);
}

TEST(Checker, IntegerIdsMixWithNames) {
  const Checked r = check(
      "CRE_SEM(S1, {0, 0, 1});\n"
      "CRE_SEM(1, {0, 0, 1});\n"
      "CRE_SEM(S3, {0, 0, 1});\n");
  EXPECT_EQ(r.errors, "");
  using V = std::vector<std::pair<std::string, std::uint32_t>>;
  EXPECT_EQ(ids(r.config, ObjectClass::semaphore), (V{{"1", 1}, {"S1", 2}, {"S3", 3}}));
}

TEST(Checker, IdGapsAndDuplicates) {
  EXPECT_EQ(check("CRE_SEM(3, {0, 0, 1});\nCRE_SEM(S, {0, 0, 1});\n").errors,
            "a.cfg:1: error: E_ID: semaphore ID 3 leaves a gap: 2 semaphores take IDs 1..2\n");
  EXPECT_EQ(check("CRE_SEM(1, {0, 0, 1});\nCRE_SEM(1, {0, 0, 1});\n").errors,
            "a.cfg:2: error: E_OBJ: semaphore ID 1 is created twice (first at a.cfg:1)\n");
  EXPECT_EQ(check("CRE_SEM(S, {0, 0, 1});\nCRE_SEM(S, {0, 0, 1});\n").errors,
            "a.cfg:2: error: E_OBJ: S is created twice (first at a.cfg:1)\n");
  EXPECT_EQ(check("CRE_SEM(S, {0, 0, 1});\nCRE_FLG(S, {0, 0});\n").errors,
            "a.cfg:2: error: E_OBJ: S is already the ID of a semaphore (at a.cfg:1)\n");
  EXPECT_EQ(check("CRE_SEM(1+1, {0, 0, 1});\n").errors,
            "a.cfg:1: error: E_ID: semaphore ID must be an identifier or an integer from 1, "
            "not '1+1'\n");
}

TEST(Checker, UnknownApiAndParameterCounts) {
  EXPECT_EQ(check("FOO(1);\n").errors, "a.cfg:1: error: E_RSFN: unknown static API FOO\n");
  EXPECT_EQ(check("CRE_SEM(S);\n").errors,
            "a.cfg:1: error: E_PAR: CRE_SEM takes 2 parameters (ID, { ... }), not 1\n");
  EXPECT_EQ(check("CRE_SEM(S, {0, 1});\n").errors,
            "a.cfg:1: error: E_PAR: CRE_SEM expects the packet { sematr, isemcnt, maxsem } "
            "(3 elements), not 2 elements\n");
  EXPECT_EQ(check("CRE_SEM(S, 5);\n").errors,
            "a.cfg:1: error: E_PAR: CRE_SEM expects the packet { sematr, isemcnt, maxsem } "
            "(3 elements), not '5'\n");
}

TEST(Checker, ShortJspFormsAreCompletedWithNull) {
  const Checked r = check("CRE_MBX(M, {0, 1});\nCRE_MPF(P, {0, 4, 32, NULL});\n");
  EXPECT_EQ(r.errors, "");
  EXPECT_EQ(r.config.of(ObjectClass::mailbox)[0].params[2].text, "NULL");
  EXPECT_EQ(r.config.of(ObjectClass::mempfix)[0].params[4].text, "NULL");
  EXPECT_EQ(check("CRE_MBX(M, {0, 1, area});\n").errors,
            "a.cfg:1: error: E_PAR: mprihd must be NULL, not 'area'\n");
}

TEST(Checker, ConstantValuesAreCheckedByTheTool) {
  EXPECT_EQ(check("CRE_TSK(T, {0, 0, t, 17, 512, NULL});").errors,
            "a.cfg:1: error: E_PAR: task priority 17 is out of range 1..16\n");
  EXPECT_EQ(check("CRE_TSK(T, {0, 0, t, 1, 0, NULL});").errors,
            "a.cfg:1: error: E_PAR: stack size 0 is out of range 1..\n");
  EXPECT_EQ(check("CRE_SEM(S, {0, 3, 2});").errors,
            "a.cfg:1: error: E_PAR: initial semaphore count 3 exceeds the maximum semaphore "
            "count 2\n");
  EXPECT_EQ(check("CRE_CYC(C, {0, 0, h, 0, 0});").errors,
            "a.cfg:1: error: E_PAR: cyclic period 0 is out of range 1..2147483647\n");
  EXPECT_EQ(check("CFG_INT(3, {0x01U, -16});").errors,
            "a.cfg:1: error: E_PAR: interrupt priority -16 is out of range -15..-1\n");
  EXPECT_EQ(check("CRE_FLG(F, {0x08U, 0});").errors,
            "a.cfg:1: error: E_RSATR: attribute 0x8 is not allowed for CRE_FLG (allowed: "
            "TA_TFIFO, TA_TPRI, TA_WSGL, TA_WMUL, TA_CLR)\n");
  EXPECT_EQ(check("CRE_ALM(A, {0x02U, 0, h});").errors,
            "a.cfg:1: error: E_RSATR: attribute 0x2 is not allowed for CRE_ALM (allowed: "
            "TA_HLNG)\n");
}

TEST(Checker, NonConstantValuesBecomeStaticAsserts) {
  const Checked r = check("CRE_TSK(T, {0, 0, t, PRI_ENUM, 512, NULL});");
  EXPECT_EQ(r.errors, "");
  ASSERT_EQ(r.config.checks.size(), 1U);
  EXPECT_EQ(r.config.checks[0].where.line, 1U);
  EXPECT_EQ(r.config.checks[0].condition, "cfg_in_range(PRI_ENUM, TMIN_TPRI, TMAX_TPRI)");
  EXPECT_EQ(r.config.checks[0].message,
            "a.cfg:1: E_PAR: task priority (PRI_ENUM) is out of range TMIN_TPRI..TMAX_TPRI");
}

TEST(Checker, PortValidityIsAlwaysLeftToTheCompiler) {
  const Checked r = check("DEF_INH(3, {0, h});\nCFG_INT(3, {0, -1});\nDEF_EXC(14, {0, e});");
  EXPECT_EQ(r.errors, "");
  ASSERT_EQ(r.config.checks.size(), 3U);
  EXPECT_EQ(r.config.checks[0].condition, "PORT_VALID_INHNO(3)");
  EXPECT_EQ(r.config.checks[1].condition, "PORT_VALID_INTNO(3)");
  EXPECT_EQ(r.config.checks[2].condition, "PORT_VALID_EXCNO(14)");
}

TEST(Checker, DuplicateHandlerNumbers) {
  EXPECT_EQ(check("DEF_INH(3, {0, h});\nDEF_INH(0x3, {0, g});").errors,
            "a.cfg:2: error: E_OBJ: interrupt handler number 0x3 is defined twice (first at "
            "a.cfg:1)\n");
  const Checked r = check("DEF_EXC(EXC_A, {0, h});\nDEF_EXC(14, {0, g});");
  EXPECT_EQ(r.errors, "");
  EXPECT_EQ(r.config.checks.back().condition, "cfg_differ(14, EXC_A)");
}

TEST(Checker, TaskExceptionRoutines) {
  const Checked r = check(
      "DEF_TEX(T2, {0, tex2});\nCRE_TSK(T1, {0, 0, t, 1, 512, NULL});\n"
      "CRE_TSK(T2, {0, 0, t, 1, 512, NULL});\nDEF_TEX(1, {0, tex1});");
  EXPECT_EQ(r.errors, "");
  EXPECT_EQ(r.config.of(ObjectClass::task)[0].tex[1].text, "tex1");
  EXPECT_EQ(r.config.of(ObjectClass::task)[1].tex[1].text, "tex2");
  EXPECT_EQ(check("DEF_TEX(T9, {0, x});").errors,
            "a.cfg:1: error: E_NOEXS: DEF_TEX for T9, which no CRE_TSK creates\n");
  EXPECT_EQ(check("CRE_TSK(T, {0, 0, t, 1, 512, NULL});\nDEF_TEX(T, {0, x});\n"
                  "DEF_TEX(T, {0, y});")
                .errors,
            "a.cfg:3: error: E_OBJ: DEF_TEX for T is defined twice (first at a.cfg:2)\n");
}

TEST(Checker, ErrorsAreAllCollected) {
  const Checked r = check("FOO(1);\nCRE_SEM(S, {0, 0, 0});\nBAR();");
  EXPECT_EQ(r.errors,
            "a.cfg:1: error: E_RSFN: unknown static API FOO\n"
            "a.cfg:2: error: E_PAR: maximum semaphore count 0 is out of range 1..2147483647\n"
            "a.cfg:3: error: E_RSFN: unknown static API BAR\n");
}

}  // namespace
}  // namespace itron::cfg
