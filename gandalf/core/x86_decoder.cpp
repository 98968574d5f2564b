// IA-32 instruction decoder (see x86_decoder.hpp).
//
// Every table below was written from the Intel SDM Vol. 2 (Appendix A opcode maps, the
// instruction pages for the mandatory-prefix and ModRM.mod restrictions) and, for AMD-only
// opcodes (SVM, 3DNow!, SSE4a, MONITORX), the AMD APM Vol. 3 opcode maps.
#include "gandalf/core/x86_decoder.hpp"

namespace gandalf::x86 {
namespace {

// ---------------------------------------------------------------------------------------------
// Table encodings
// ---------------------------------------------------------------------------------------------

// Immediate (and other trailing operand) kinds, SDM Vol. 2, A.2.1/A.2.2 operand codes.
enum Imm : std::uint8_t {
  kNoImm = 0,
  kIb,     // Ib / Jb: one byte
  kIw,     // Iw: two bytes
  kIz,     // Iz / Jz: operand size (2 or 4)
  kMoffs,  // Ob / Ov (A0-A3): address size (2 or 4)
  kAp,     // Ap: far pointer, operand size + 2-byte selector
  kIwIb,   // ENTER Iw, Ib
  kIbIb,   // EXTRQ / INSERTQ Ib, Ib (AMD SSE4a)
};

constexpr std::uint8_t kImmMask = 0x0F;
constexpr std::uint8_t kModrm = 0x10;    // a ModRM byte follows the opcode
constexpr std::uint8_t kSpecial = 0x20;  // one-byte map: prefix; 0F maps: group / special case
constexpr std::uint8_t kEscape = 0x40;   // one-byte map: 0F escape

// Mandatory-prefix columns of the SDM 0F maps (Table A-3 rows "66", "F3", "F2").  The
// effective column is the last F2/F3 prefix if any, else 66 if present, else none.
enum Column : std::uint8_t { kColNp = 0, kCol66 = 1, kColF3 = 2, kColF2 = 3 };

// Per-column form of an opcode, two bits per column in a "forms" byte.
enum Form : std::uint8_t {
  kX = 0,  // undefined (#UD)
  kA = 1,  // any ModRM.mod
  kM = 2,  // memory operand only (mod != 3)
  kR = 3,  // register operand only (mod == 3)
};

constexpr std::uint8_t forms(Form np, Form p66, Form f3, Form f2) {
  return static_cast<std::uint8_t>(np | (p66 << 2) | (f3 << 4) | (f2 << 6));
}
// Non-SSE opcodes: 66 is an operand-size override and F2/F3 are ignored.
constexpr std::uint8_t kAll = forms(kA, kA, kA, kA);
constexpr std::uint8_t kNp66 = forms(kA, kA, kX, kX);    // MMX (NP) / SSE2 (66) pair
constexpr std::uint8_t k66 = forms(kX, kA, kX, kX);      // 66 only
constexpr std::uint8_t k66Mem = forms(kX, kM, kX, kX);   // 66 only, memory operand
constexpr std::uint8_t kNp = forms(kA, kX, kX, kX);      // NP only
constexpr std::uint8_t kMemAll = forms(kM, kM, kM, kM);  // memory operand, prefixes ignored

struct MapEntry {
  std::uint8_t attr;   // Imm | kModrm | kSpecial
  std::uint8_t forms;  // 0: undefined opcode
};

struct Row {
  std::uint8_t first, last;
  std::uint8_t attr;
  std::uint8_t forms;
};

// A plain aggregate rather than std::array: libstdc++'s <array> does not compile with clang
// -m32 -mgeneral-regs-only (it declares long double helpers).
struct Map {
  MapEntry e[256];
  constexpr const MapEntry& operator[](unsigned i) const { return e[i]; }
};

template <std::size_t N>
constexpr Map build_map(const Row (&rows)[N]) {
  Map m{};
  for (const Row& r : rows) {
    for (unsigned op = r.first; op <= r.last; ++op) m.e[op] = MapEntry{r.attr, r.forms};
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// One-byte opcode map (SDM Vol. 2, Table A-2), 32-bit/16-bit protected mode.
// ---------------------------------------------------------------------------------------------

// Tables are laid out as in the SDM, not by clang-format.
// clang-format off
constexpr std::uint8_t N = kNoImm, B = kIb, W = kIw, Z = kIz, O = kMoffs, P = kAp, E = kIwIb;
constexpr std::uint8_t M = kModrm, X = kSpecial /*prefix*/, C = kEscape;

constexpr std::uint8_t kOneByte[256] = {
//  0    1    2    3    4    5    6    7    8    9    A    B    C    D    E    F
    M,   M,   M,   M,   B,   Z,   N,   N,   M,   M,   M,   M,   B,   Z,   N,   C,   // 0 ADD PUSH/POP ES OR PUSH CS
    M,   M,   M,   M,   B,   Z,   N,   N,   M,   M,   M,   M,   B,   Z,   N,   N,   // 1 ADC SS SBB DS
    M,   M,   M,   M,   B,   Z,   X,   N,   M,   M,   M,   M,   B,   Z,   X,   N,   // 2 AND ES: DAA SUB CS: DAS
    M,   M,   M,   M,   B,   Z,   X,   N,   M,   M,   M,   M,   B,   Z,   X,   N,   // 3 XOR SS: AAA CMP DS: AAS
    N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   // 4 INC/DEC r
    N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   // 5 PUSH/POP r
    N,   N,   M,   M,   X,   X,   X,   X,   Z,   M|Z, B,   M|B, N,   N,   N,   N,   // 6 PUSHA POPA BOUND ARPL .. INS OUTS
    B,   B,   B,   B,   B,   B,   B,   B,   B,   B,   B,   B,   B,   B,   B,   B,   // 7 Jcc Jb
    M|B, M|Z, M|B, M|B, M,   M,   M,   M,   M,   M,   M,   M,   M,   M,   M,   M,   // 8 Grp1 TEST XCHG MOV LEA Grp1A
    N,   N,   N,   N,   N,   N,   N,   N,   N,   N,   P,   N,   N,   N,   N,   N,   // 9 XCHG CBW CWD CALLF FWAIT PUSHF..
    O,   O,   O,   O,   N,   N,   N,   N,   B,   Z,   N,   N,   N,   N,   N,   N,   // A MOV moffs, string ops, TEST
    B,   B,   B,   B,   B,   B,   B,   B,   Z,   Z,   Z,   Z,   Z,   Z,   Z,   Z,   // B MOV r, imm
    M|B, M|B, W,   N,   M,   M,   M|B, M|Z, E,   N,   W,   N,   N,   B,   N,   N,   // C Grp2 RET LES LDS Grp11 ENTER..IRET
    M,   M,   M,   M,   B,   B,   N,   N,   M,   M,   M,   M,   M,   M,   M,   M,   // D Grp2 AAM AAD SALC XLAT x87
    B,   B,   B,   B,   B,   B,   B,   B,   Z,   Z,   P,   B,   N,   N,   N,   N,   // E LOOP JCXZ IN OUT CALL JMP
    X,   N,   X,   X,   N,   N,   M,   M,   N,   N,   N,   N,   N,   N,   M,   M,   // F LOCK INT1 REP HLT CMC Grp3 .. Grp4 Grp5
};

// x87 escapes D8-DF (SDM Vol. 2, A.5).  Memory forms: bit r set if ModRM.reg = r is defined.
constexpr std::uint8_t kX87Mem[8] = {
    0xFF,  // D8
    0xFD,  // D9: /1 reserved
    0xFF,  // DA
    0xAF,  // DB: /4 and /6 reserved
    0xFF,  // DC
    0xDF,  // DD: /5 reserved
    0xFF,  // DE
    0xFF,  // DF
};
// Register forms: [escape][reg] bit rm set if defined.  Includes the aliases that execute on
// every IA-32 processor (FSTP1 D9 D8+i, FCOM2 DC D0+i, FCOMP3 DC D8+i, FXCH4 DD C8+i,
// FCOMP5 DE D0+i, FFREEP DF C0+i, FXCH7 DF C8+i, FSTP8/9 DF D0+i/D8+i) and the 8087/287
// leftovers executed as NOPs (FENI DB E0, FDISI DB E1, FSETPM DB E4).
constexpr std::uint8_t kX87Reg[8][8] = {
    {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},  // D8
    {0xFF, 0xFF, 0x01, 0xFF, 0x33, 0x7F, 0xFF, 0xFF},  // D9: FNOP; FCHS FABS FTST FXAM; FLD1..FLDZ
    {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x02, 0x00, 0x00},  // DA: FCMOVcc; FUCOMPP
    {0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00},  // DB: FCMOVNcc; FNCLEX FNINIT; FUCOMI FCOMI
    {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},  // DC
    {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00},  // DD: FFREE FXCH4 FST FSTP FUCOM FUCOMP
    {0xFF, 0xFF, 0xFF, 0x02, 0xFF, 0xFF, 0xFF, 0xFF},  // DE: FCOMPP
    {0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0xFF, 0xFF, 0x00},  // DF: FNSTSW AX; FUCOMIP FCOMIP
};

// ---------------------------------------------------------------------------------------------
// Two-byte opcode map 0F xx (SDM Vol. 2, Table A-3).  kSpecial marks groups and opcodes whose
// validity or operands are decided in code (see check_0f_special).
// ---------------------------------------------------------------------------------------------

constexpr std::uint8_t G = kSpecial;

constexpr Row k0FRows[] = {
    {0x00, 0x00, M | G, kAll},                      // Grp6 SLDT STR LLDT LTR VERR VERW
    {0x01, 0x01, M | G, kAll},                      // Grp7 SGDT SIDT LGDT LIDT SMSW LMSW INVLPG
    {0x02, 0x03, M, kAll},                          // LAR LSL Gv,Ew
    {0x05, 0x09, N, kAll},                          // SYSCALL CLTS SYSRET INVD WBINVD
    {0x0B, 0x0B, N, kAll},                          // UD2
    {0x0D, 0x0D, M, kAll},                          // PREFETCH/PREFETCHW (AMD Grp P), NOP Ev
    {0x0E, 0x0E, N, kAll},                          // FEMMS (AMD 3DNow!)
    {0x0F, 0x0F, M | G, kAll},                      // 3DNow! (AMD APM Vol. 3, A.2): suffix ib
    {0x10, 0x11, M, kAll},                          // MOVUPS MOVUPD MOVSS MOVSD
    {0x12, 0x12, M, forms(kA, kM, kA, kA)},         // MOVLPS/MOVHLPS MOVLPD MOVSLDUP MOVDDUP
    {0x13, 0x13, M, forms(kM, kM, kX, kX)},         // MOVLPS MOVLPD Mq,V
    {0x14, 0x15, M, kNp66},                         // UNPCKLPS/PD UNPCKHPS/PD
    {0x16, 0x16, M, forms(kA, kM, kA, kX)},         // MOVHPS/MOVLHPS MOVHPD MOVSHDUP
    {0x17, 0x17, M, forms(kM, kM, kX, kX)},         // MOVHPS MOVHPD Mq,V
    {0x18, 0x19, M, kAll},                          // Grp16 PREFETCHh, NOP Ev
    {0x1A, 0x1B, M | G, kAll},                      // MPX BNDLDX BNDSTX BNDMOV BNDCL BNDCU BNDCN BNDMK
    {0x1C, 0x1F, M, kAll},                          // CLDEMOTE, CET (RDSSPD ENDBR32), NOP Ev
    {0x20, 0x23, M | G, kAll},                      // MOV Rd,Cd / Rd,Dd / Cd,Rd / Dd,Rd
    {0x28, 0x29, M, kNp66},                         // MOVAPS MOVAPD
    {0x2A, 0x2A, M, kAll},                          // CVTPI2PS CVTPI2PD CVTSI2SS CVTSI2SD
    {0x2B, 0x2B, M, kMemAll},                       // MOVNTPS MOVNTPD; MOVNTSS MOVNTSD (AMD SSE4a)
    {0x2C, 0x2D, M, kAll},                          // CVTT/CVT PS2PI PD2PI SS2SI SD2SI
    {0x2E, 0x2F, M, kNp66},                         // UCOMISS/SD COMISS/SD
    {0x30, 0x35, N, kAll},                          // WRMSR RDTSC RDMSR RDPMC SYSENTER SYSEXIT
    {0x37, 0x37, N, forms(kA, kX, kX, kX)},         // GETSEC (NP)
    {0x38, 0x38, G, kAll},                          // three-byte escape 0F 38
    {0x3A, 0x3A, G, kAll},                          // three-byte escape 0F 3A
    {0x40, 0x4F, M, kAll},                          // CMOVcc Gv,Ev
    {0x50, 0x50, M, forms(kR, kR, kX, kX)},         // MOVMSKPS MOVMSKPD Gd,U
    {0x51, 0x51, M, kAll},                          // SQRTPS/PD/SS/SD
    {0x52, 0x53, M, forms(kA, kX, kA, kX)},         // RSQRTPS/SS RCPPS/SS
    {0x54, 0x57, M, kNp66},                         // ANDPS ANDNPS ORPS XORPS (+PD)
    {0x58, 0x5A, M, kAll},                          // ADD MUL CVTPS2PD/CVTPD2PS/CVTSS2SD/CVTSD2SS
    {0x5B, 0x5B, M, forms(kA, kA, kA, kX)},         // CVTDQ2PS CVTPS2DQ CVTTPS2DQ
    {0x5C, 0x5F, M, kAll},                          // SUB MIN DIV MAX
    {0x60, 0x6B, M, kNp66},                         // PUNPCKLBW .. PACKSSDW
    {0x6C, 0x6D, M, k66},                           // PUNPCKLQDQ PUNPCKHQDQ
    {0x6E, 0x6E, M, kNp66},                         // MOVD Pd/Vd,Ey
    {0x6F, 0x6F, M, forms(kA, kA, kA, kX)},         // MOVQ MOVDQA MOVDQU
    {0x70, 0x70, M | B, kAll},                      // PSHUFW PSHUFD PSHUFHW PSHUFLW
    {0x71, 0x73, M | B | G, kAll},                  // Grp12 Grp13 Grp14 (shift by imm8)
    {0x74, 0x76, M, kNp66},                         // PCMPEQB/W/D
    {0x77, 0x77, N, forms(kA, kX, kX, kX)},         // EMMS
    {0x78, 0x78, M | G, kAll},                      // VMREAD; EXTRQ/INSERTQ Ib,Ib (SSE4a)
    {0x79, 0x79, M, forms(kA, kR, kX, kR)},         // VMWRITE; EXTRQ V,U; INSERTQ V,U
    {0x7C, 0x7D, M, forms(kX, kA, kX, kA)},         // HADDPD/PS HSUBPD/PS
    {0x7E, 0x7E, M, forms(kA, kA, kA, kX)},         // MOVD Ey,Pd  MOVD Ey,Vd  MOVQ Vq,Wq
    {0x7F, 0x7F, M, forms(kA, kA, kA, kX)},         // MOVQ MOVDQA MOVDQU
    {0x80, 0x8F, Z, kAll},                          // Jcc Jz
    {0x90, 0x9F, M, kAll},                          // SETcc Eb
    {0xA0, 0xA2, N, kAll},                          // PUSH FS, POP FS, CPUID
    {0xA3, 0xA3, M, kAll},                          // BT Ev,Gv
    {0xA4, 0xA4, M | B, kAll},                      // SHLD Ev,Gv,Ib
    {0xA5, 0xA5, M, kAll},                          // SHLD Ev,Gv,CL
    {0xA6, 0xA7, M | G, kAll},                      // VIA PadLock: MONTMUL XSHA*, XSTORE XCRYPT*
    {0xA8, 0xAA, N, kAll},                          // PUSH GS, POP GS, RSM
    {0xAB, 0xAB, M, kAll},                          // BTS
    {0xAC, 0xAC, M | B, kAll},                      // SHRD Ev,Gv,Ib
    {0xAD, 0xAD, M, kAll},                          // SHRD Ev,Gv,CL
    {0xAE, 0xAE, M | G, kAll},                      // Grp15
    {0xAF, 0xAF, M, kAll},                          // IMUL Gv,Ev
    {0xB0, 0xB1, M, kAll},                          // CMPXCHG
    {0xB2, 0xB2, M, kMemAll},                       // LSS Gv,Mp
    {0xB3, 0xB3, M, kAll},                          // BTR
    {0xB4, 0xB5, M, kMemAll},                       // LFS LGS Gv,Mp
    {0xB6, 0xB7, M, kAll},                          // MOVZX
    {0xB8, 0xB8, M, forms(kX, kX, kA, kX)},         // POPCNT (F3); JMPE (NP) is IA-64 only
    {0xB9, 0xB9, M, kAll},                          // Grp10 UD1 Gv,Ev
    {0xBA, 0xBA, M | B | G, kAll},                  // Grp8 BT BTS BTR BTC Ev,Ib
    {0xBB, 0xBD, M, kAll},                          // BTC; BSF/TZCNT; BSR/LZCNT
    {0xBE, 0xBF, M, kAll},                          // MOVSX
    {0xC0, 0xC1, M, kAll},                          // XADD
    {0xC2, 0xC2, M | B, kAll},                      // CMPPS/PD/SS/SD
    {0xC3, 0xC3, M, forms(kM, kX, kX, kX)},         // MOVNTI My,Gy
    {0xC4, 0xC4, M | B, kNp66},                     // PINSRW
    {0xC5, 0xC5, M | B, forms(kR, kR, kX, kX)},     // PEXTRW Gd,N/U,Ib
    {0xC6, 0xC6, M | B, kNp66},                     // SHUFPS SHUFPD
    {0xC7, 0xC7, M | G, kAll},                      // Grp9
    {0xC8, 0xCF, N, kAll},                          // BSWAP
    {0xD0, 0xD0, M, forms(kX, kA, kX, kA)},         // ADDSUBPD ADDSUBPS
    {0xD1, 0xD5, M, kNp66},                         // PSRLW .. PMULLW
    {0xD6, 0xD6, M, forms(kX, kA, kR, kR)},         // MOVQ W,V; MOVQ2DQ; MOVDQ2Q
    {0xD7, 0xD7, M, forms(kR, kR, kX, kX)},         // PMOVMSKB Gd,N/U
    {0xD8, 0xDF, M, kNp66},                         // PSUBUSB .. PANDN
    {0xE0, 0xE5, M, kNp66},                         // PAVGB .. PMULHW
    {0xE6, 0xE6, M, forms(kX, kA, kA, kA)},         // CVTTPD2DQ CVTDQ2PD CVTPD2DQ
    {0xE7, 0xE7, M, forms(kM, kM, kX, kX)},         // MOVNTQ MOVNTDQ
    {0xE8, 0xEF, M, kNp66},                         // PSUBSB .. PXOR
    {0xF0, 0xF0, M, forms(kX, kX, kX, kM)},         // LDDQU
    {0xF1, 0xF6, M, kNp66},                         // PSLLW .. PSADBW
    {0xF7, 0xF7, M, forms(kR, kR, kX, kX)},         // MASKMOVQ MASKMOVDQU
    {0xF8, 0xFE, M, kNp66},                         // PSUBB .. PADDD
    {0xFF, 0xFF, M, kAll},                          // UD0 Gd,Ed
};
constexpr Map k0F = build_map(k0FRows);

// Three-byte map 0F 38 xx (SDM Vol. 2, Table A-4): every opcode takes a ModRM byte.
constexpr Row k0F38Rows[] = {
    {0x00, 0x0B, M, kNp66},                      // PSHUFB .. PMULHRSW (SSSE3)
    {0x10, 0x10, M, k66},                        // PBLENDVB
    {0x14, 0x15, M, k66},                        // BLENDVPS BLENDVPD
    {0x17, 0x17, M, k66},                        // PTEST
    {0x1C, 0x1E, M, kNp66},                      // PABSB PABSW PABSD
    {0x20, 0x25, M, k66},                        // PMOVSXBW .. PMOVSXDQ
    {0x28, 0x29, M, k66},                        // PMULDQ PCMPEQQ
    {0x2A, 0x2A, M, k66Mem},                     // MOVNTDQA
    {0x2B, 0x2B, M, k66},                        // PACKUSDW
    {0x30, 0x35, M, k66},                        // PMOVZXBW .. PMOVZXDQ
    {0x37, 0x41, M, k66},                        // PCMPGTQ PMINSB .. PMULLD PHMINPOSUW
    {0x80, 0x82, M, k66Mem},                     // INVEPT INVVPID INVPCID Gy,Mdq
    {0xC8, 0xCD, M, kNp},                        // SHA1NEXTE .. SHA256MSG2
    {0xCF, 0xCF, M, k66},                        // GF2P8MULB
    {0xD8, 0xD8, M | G, kAll},                   // Key Locker AESENC/DECWIDE128/256KL (F3)
    {0xDB, 0xDB, M, k66},                        // AESIMC
    {0xDC, 0xDC, M, forms(kX, kA, kA, kX)},      // AESENC (66); AESENC128KL M / LOADIWKEY R (F3)
    {0xDD, 0xDF, M, forms(kX, kA, kM, kX)},      // AESENCLAST.. (66); AESDEC128KL.. (F3, Key Locker)
    {0xF0, 0xF1, M, forms(kM, kM, kX, kA)},      // MOVBE Gy,My / My,Gy; CRC32 Gd,Eb / Gd,Ey
    {0xF5, 0xF5, M, k66Mem},                     // WRUSSD
    {0xF6, 0xF6, M, forms(kM, kA, kA, kX)},      // WRSSD; ADCX; ADOX
    {0xF8, 0xF8, M, forms(kX, kM, kM, kM)},      // MOVDIR64B ENQCMDS ENQCMD
    {0xF9, 0xF9, M, forms(kM, kX, kX, kX)},      // MOVDIRI
    {0xFA, 0xFB, M, forms(kX, kX, kR, kX)},      // ENCODEKEY128 ENCODEKEY256
};
constexpr Map k0F38 = build_map(k0F38Rows);

// Three-byte map 0F 3A xx (SDM Vol. 2, Table A-5): ModRM and an imm8 everywhere.
constexpr Row k0F3ARows[] = {
    {0x08, 0x0E, M | B, k66},    // ROUNDPS .. PBLENDW
    {0x0F, 0x0F, M | B, kNp66},  // PALIGNR
    {0x14, 0x17, M | B, k66},    // PEXTRB PEXTRW PEXTRD EXTRACTPS
    {0x20, 0x22, M | B, k66},    // PINSRB INSERTPS PINSRD
    {0x40, 0x42, M | B, k66},    // DPPS DPPD MPSADBW
    {0x44, 0x44, M | B, k66},    // PCLMULQDQ
    {0x60, 0x63, M | B, k66},    // PCMPESTRM PCMPESTRI PCMPISTRM PCMPISTRI
    {0xCC, 0xCC, M | B, kNp},    // SHA1RNDS4
    {0xCE, 0xCF, M | B, k66},    // GF2P8AFFINEQB GF2P8AFFINEINVQB
    {0xDF, 0xDF, M | B, k66},    // AESKEYGENASSIST
    {0xF0, 0xF0, M | B | G, forms(kX, kX, kR, kX)},  // HRESET (F3 0F 3A F0 C0 ib)
};
constexpr Map k0F3A = build_map(k0F3ARows);

// ---------------------------------------------------------------------------------------------
// Group tables for the 0F map.  Column masks: bit c set if mandatory-prefix column c is defined.
// ---------------------------------------------------------------------------------------------

constexpr std::uint8_t kPNp = 1 << kColNp, kP66 = 1 << kCol66, kPF3 = 1 << kColF3,
                       kPF2 = 1 << kColF2;
constexpr std::uint8_t kPAny = kPNp | kP66 | kPF3 | kPF2;

struct GroupEntry {
  std::uint8_t mem;  // columns defined for mod != 3
  std::uint8_t reg;  // columns defined for mod == 3
};
using Group = GroupEntry[8];

// 0F 00 Grp6 (Table A-6): SLDT STR LLDT LTR VERR VERW; /6 /7 reserved.
constexpr Group kGrp6 = {{kPAny, kPAny}, {kPAny, kPAny}, {kPAny, kPAny}, {kPAny, kPAny},
                         {kPAny, kPAny}, {kPAny, kPAny}, {0, 0},         {0, 0}};
// 0F 01 Grp7 memory forms: SGDT SIDT LGDT LIDT SMSW RSTORSSP(F3) LMSW INVLPG.  Register forms:
// SMSW (/4) and LMSW (/6) take any register; the others are listed in kGrp7Reg.
constexpr Group kGrp7 = {{kPAny, 0}, {kPAny, 0}, {kPAny, 0}, {kPAny, 0},
                         {kPAny, kPAny}, {kPF3, 0}, {kPAny, kPAny}, {kPAny, 0}};
// 0F 01 register forms (Table A-6, mod = 11B), [reg][rm] column mask.
constexpr std::uint8_t kGrp7Reg[8][8] = {
    // /0: ENCLV VMCALL VMLAUNCH VMRESUME VMXOFF PCONFIG
    {kPNp, kPNp, kPNp, kPNp, kPNp, kPNp, 0, 0},
    // /1: MONITOR MWAIT CLAC STAC TDCALL(66) - - ENCLS
    {kPNp, kPNp, kPNp, kPNp, kP66, 0, 0, kPNp},
    // /2: XGETBV XSETBV - - VMFUNC XEND XTEST ENCLU
    {kPNp, kPNp, 0, 0, kPNp, kPNp, kPNp, kPNp},
    // /3 (AMD SVM, no prefix restriction): VMRUN VMMCALL VMLOAD VMSAVE STGI CLGI SKINIT INVLPGA
    {kPAny, kPAny, kPAny, kPAny, kPAny, kPAny, kPAny, kPAny},
    {kPAny, kPAny, kPAny, kPAny, kPAny, kPAny, kPAny, kPAny},  // /4: SMSW Rv
    // /5: SERIALIZE/SETSSBSY/XSUSLDTRK; XRESLDTRK; SAVEPREVSSP; -; -; -; RDPKRU; WRPKRU
    {kPNp | kPF3 | kPF2, kPF2, kPF3, 0, 0, 0, kPNp, kPNp},
    {kPAny, kPAny, kPAny, kPAny, kPAny, kPAny, kPAny, kPAny},  // /6: LMSW Rw
    // /7: SWAPGS (64-bit only); RDTSCP; MONITORX/MCOMMIT(F3); MWAITX; CLZERO; RDPRU;
    //     INVLPGB; TLBSYNC/PVALIDATE(F2)  (AMD APM Vol. 3, Table A-8)
    {0, kPAny, kPNp | kPF3, kPNp, kPAny, kPAny, kPNp, kPNp | kPF2},
};
// 0F 71 / 72 Grp12 / Grp13 (Table A-6): PSRLx /2, PSRAx /4, PSLLx /6; register forms only.
constexpr Group kGrp12 = {{0, 0}, {0, 0}, {0, kPNp | kP66}, {0, 0},
                          {0, kPNp | kP66}, {0, 0}, {0, kPNp | kP66}, {0, 0}};
// 0F 73 Grp14: PSRLQ /2, PSRLDQ /3 (66), PSLLQ /6, PSLLDQ /7 (66).
constexpr Group kGrp14 = {{0, 0}, {0, 0}, {0, kPNp | kP66}, {0, kP66},
                          {0, 0}, {0, 0}, {0, kPNp | kP66}, {0, kP66}};
// 0F AE Grp15.  Memory: FXSAVE FXRSTOR LDMXCSR STMXCSR XSAVE XRSTOR, PTWRITE (F3 /4),
// XSAVEOPT/CLWB(66)/CLRSSBSY(F3), CLFLUSH/CLFLUSHOPT(66).  Register: PTWRITE (F3 /4),
// LFENCE/INCSSPD(F3), MFENCE/TPAUSE(66)/UMONITOR(F3)/UMWAIT(F2), SFENCE.  RD/WRFS/GSBASE
// (F3 /0-/3) are 64-bit only.
constexpr Group kGrp15 = {{kPNp, 0},         {kPNp, 0},
                          {kPNp, 0},         {kPNp, 0},
                          {kPNp | kPF3, kPF3}, {kPNp, kPNp | kPF3},
                          {kPNp | kP66 | kPF3, kPNp | kP66 | kPF3 | kPF2},
                          {kPNp | kP66, kPNp}};
// 0F BA Grp8: BT BTS BTR BTC Ev,Ib (/4-/7).
constexpr Group kGrp8 = {{0, 0},         {0, 0},         {0, 0},         {0, 0},
                         {kPAny, kPAny}, {kPAny, kPAny}, {kPAny, kPAny}, {kPAny, kPAny}};
// 0F C7 Grp9.  Memory: CMPXCHG8B /1, XRSTORS /3, XSAVEC /4, XSAVES /5,
// VMPTRLD/VMCLEAR(66)/VMXON(F3) /6, VMPTRST /7.  Register: RDRAND /6, RDSEED/RDPID(F3) /7.
constexpr Group kGrp9 = {{0, 0},           {kPAny, 0},
                         {0, 0},           {kPNp, 0},
                         {kPNp, 0},        {kPNp, 0},
                         {kPNp | kP66 | kPF3, kPNp | kP66},
                         {kPNp, kPNp | kP66 | kPF3}};
// 0F 38 D8 (Key Locker, F3, memory): AESENCWIDE128KL AESDECWIDE128KL AESENCWIDE256KL
// AESDECWIDE256KL.
constexpr Group kKlWide = {{kPF3, 0}, {kPF3, 0}, {kPF3, 0}, {kPF3, 0},
                           {0, 0},    {0, 0},    {0, 0},    {0, 0}};

// One-byte opcodes with ModRM.reg restrictions (Table A-6 groups and A-2 notes): bit r set if
// ModRM.reg = r is defined, for memory and register operands.  C6/C7 /7 (XABORT/XBEGIN) are
// defined only as C6 F8 / C7 F8 (see one_byte_valid).
struct RegRule {
  std::uint8_t opcode;
  std::uint8_t mem_regs;
  std::uint8_t reg_regs;
};
constexpr RegRule kOneByteRegRules[] = {
    {0x62, 0xFF, 0x00},  // BOUND Gv,Ma (mod = 11 is EVEX)
    {0x8C, 0x3F, 0x3F},  // MOV Ev,Sw: ES CS SS DS FS GS
    {0x8D, 0xFF, 0x00},  // LEA Gv,M
    {0x8E, 0x3D, 0x3D},  // MOV Sw,Ew: loading CS is #UD
    {0x8F, 0x01, 0x01},  // Grp1A POP Ev (/0)
    {0xC4, 0xFF, 0x00},  // LES Gz,Mp (mod = 11 is VEX)
    {0xC5, 0xFF, 0x00},  // LDS Gz,Mp (mod = 11 is VEX)
    {0xC6, 0x01, 0x01},  // Grp11 MOV Eb,Ib (/0)
    {0xC7, 0x01, 0x01},  // Grp11 MOV Ev,Iz (/0)
    {0xFE, 0x03, 0x03},  // Grp4 INC DEC
    {0xFF, 0x7F, 0x57},  // Grp5 INC DEC CALLN CALLF JMPN JMPF PUSH; CALLF/JMPF need Mp
};

// LOCK (SDM Vol. 2, LOCK): #UD unless the destination is memory and the instruction is ADD ADC
// AND BTC BTR BTS CMPXCHG CMPXCHG8B DEC INC NEG NOT OR SBB SUB XOR XADD or XCHG.
struct LockRule {
  std::uint8_t map;
  std::uint8_t opcode;
  std::uint8_t regs;  // ModRM.reg values allowed
};
constexpr LockRule kLockable[] = {
    {0, 0x00, 0xFF}, {0, 0x01, 0xFF},  // ADD Eb,Gb / Ev,Gv
    {0, 0x08, 0xFF}, {0, 0x09, 0xFF},  // OR
    {0, 0x10, 0xFF}, {0, 0x11, 0xFF},  // ADC
    {0, 0x18, 0xFF}, {0, 0x19, 0xFF},  // SBB
    {0, 0x20, 0xFF}, {0, 0x21, 0xFF},  // AND
    {0, 0x28, 0xFF}, {0, 0x29, 0xFF},  // SUB
    {0, 0x30, 0xFF}, {0, 0x31, 0xFF},  // XOR
    {0, 0x80, 0x7F}, {0, 0x81, 0x7F},  // Grp1 except /7 CMP
    {0, 0x82, 0x7F}, {0, 0x83, 0x7F},
    {0, 0x86, 0xFF}, {0, 0x87, 0xFF},  // XCHG
    {0, 0xF6, 0x0C}, {0, 0xF7, 0x0C},  // Grp3 NOT NEG
    {0, 0xFE, 0x03}, {0, 0xFF, 0x03},  // Grp4/5 INC DEC
    {1, 0xAB, 0xFF}, {1, 0xB3, 0xFF}, {1, 0xBB, 0xFF},  // BTS BTR BTC Ev,Gv
    {1, 0xBA, 0xE0},                   // Grp8 BTS BTR BTC Ev,Ib
    {1, 0xB0, 0xFF}, {1, 0xB1, 0xFF},  // CMPXCHG
    {1, 0xC0, 0xFF}, {1, 0xC1, 0xFF},  // XADD
    {1, 0xC7, 0x02},                   // Grp9 CMPXCHG8B
};

// Sensitive instructions identified by their opcode alone.
struct Sensitive {
  std::uint8_t map;
  std::uint8_t opcode;
  Op op;
  std::int8_t sreg;  // segment register written, -1 if none
  bool port_in_dx;
};
constexpr Sensitive kSensitive[] = {
    {0, 0x07, Op::pop_sreg, kEs, false},             // POP ES
    {0, 0x17, Op::pop_sreg, kSs, false},             // POP SS
    {0, 0x1F, Op::pop_sreg, kDs, false},             // POP DS
    {0, 0x6C, Op::ins, -1, true},                    // INS m8,DX
    {0, 0x6D, Op::ins, -1, true},                    // INS m16/32,DX
    {0, 0x6E, Op::outs, -1, true},                   // OUTS DX,m8
    {0, 0x6F, Op::outs, -1, true},                   // OUTS DX,m16/32
    {0, 0x9A, Op::far_call, -1, false},              // CALLF Ap
    {0, 0x9C, Op::pushf, -1, false},                 // PUSHF/D
    {0, 0x9D, Op::popf, -1, false},                  // POPF/D
    {0, 0xC4, Op::lds_les_lfs_lgs_lss, kEs, false},  // LES Gz,Mp
    {0, 0xC5, Op::lds_les_lfs_lgs_lss, kDs, false},  // LDS Gz,Mp
    {0, 0xCA, Op::far_ret, -1, false},               // RETF Iw
    {0, 0xCB, Op::far_ret, -1, false},               // RETF
    {0, 0xCC, Op::int3, -1, false},                  // INT3
    {0, 0xCD, Op::int_n, -1, false},                 // INT Ib
    {0, 0xCE, Op::into, -1, false},                  // INTO
    {0, 0xCF, Op::iret, -1, false},                  // IRET/D
    {0, 0xE4, Op::in, -1, false},                    // IN AL,Ib
    {0, 0xE5, Op::in, -1, false},                    // IN eAX,Ib
    {0, 0xE6, Op::out, -1, false},                   // OUT Ib,AL
    {0, 0xE7, Op::out, -1, false},                   // OUT Ib,eAX
    {0, 0xEA, Op::far_jmp, -1, false},               // JMPF Ap
    {0, 0xEC, Op::in, -1, true},                     // IN AL,DX
    {0, 0xED, Op::in, -1, true},                     // IN eAX,DX
    {0, 0xEE, Op::out, -1, true},                    // OUT DX,AL
    {0, 0xEF, Op::out, -1, true},                    // OUT DX,eAX
    {0, 0xF4, Op::hlt, -1, false},                   // HLT
    {0, 0xFA, Op::cli, -1, false},                   // CLI
    {0, 0xFB, Op::sti, -1, false},                   // STI
    {1, 0x05, Op::syscall, -1, false},               // SYSCALL
    {1, 0x06, Op::clts, -1, false},                  // CLTS
    {1, 0x07, Op::sysret, -1, false},                // SYSRET
    {1, 0x08, Op::invd, -1, false},                  // INVD
    {1, 0x09, Op::wbinvd, -1, false},                // WBINVD; F3: WBNOINVD
    {1, 0x0B, Op::ud2, -1, false},                   // UD2
    {1, 0x20, Op::mov_from_cr, -1, false},           // MOV Rd,Cd
    {1, 0x21, Op::mov_from_dr, -1, false},           // MOV Rd,Dd
    {1, 0x22, Op::mov_to_cr, -1, false},             // MOV Cd,Rd
    {1, 0x23, Op::mov_to_dr, -1, false},             // MOV Dd,Rd
    {1, 0x30, Op::wrmsr, -1, false},                 // WRMSR
    {1, 0x31, Op::rdtsc, -1, false},                 // RDTSC
    {1, 0x32, Op::rdmsr, -1, false},                 // RDMSR
    {1, 0x33, Op::rdpmc, -1, false},                 // RDPMC
    {1, 0x34, Op::sysenter, -1, false},              // SYSENTER
    {1, 0x35, Op::sysexit, -1, false},               // SYSEXIT
    {1, 0xA1, Op::pop_sreg, kFs, false},             // POP FS
    {1, 0xA2, Op::cpuid, -1, false},                 // CPUID
    {1, 0xA9, Op::pop_sreg, kGs, false},             // POP GS
    {1, 0xB2, Op::lds_les_lfs_lgs_lss, kSs, false},  // LSS Gv,Mp
    {1, 0xB4, Op::lds_les_lfs_lgs_lss, kFs, false},  // LFS Gv,Mp
    {1, 0xB5, Op::lds_les_lfs_lgs_lss, kGs, false},  // LGS Gv,Mp
};
// Groups: the Op by ModRM.reg.  0F 01 register forms other than SMSW/LMSW are Op::other.
constexpr Op kGrp6Ops[8] = {Op::sldt, Op::str, Op::lldt, Op::ltr,
                            Op::other, Op::other, Op::other, Op::other};
constexpr Op kGrp7Ops[8] = {Op::sgdt, Op::sidt, Op::lgdt, Op::lidt,
                            Op::smsw, Op::other, Op::lmsw, Op::invlpg};
constexpr Op kGrp5Ops[8] = {Op::other, Op::other, Op::other, Op::far_call,
                            Op::other, Op::far_jmp, Op::other, Op::other};

// Report names, indexed by Op.
constexpr const char* kOpNames[] = {
    "(invalid)", "(other)", "in", "out", "ins", "outs", "cli", "sti", "hlt", "lgdt", "lidt",
    "sgdt", "sidt", "lldt", "ltr", "sldt", "str", "lmsw", "smsw", "mov cr", "mov from cr",
    "mov dr", "mov from dr", "clts", "invd", "wbinvd", "invlpg", "rdmsr", "wrmsr", "rdtsc",
    "rdpmc", "cpuid", "int", "int3", "into", "iret", "pushf", "popf", "mov sreg", "pop sreg",
    "lds/les/lfs/lgs/lss", "jmp far", "call far", "ret far", "sysenter", "sysexit", "syscall",
    "sysret", "ud2", "(vex/evex/xop)",
};
static_assert(sizeof kOpNames / sizeof kOpNames[0] ==
              static_cast<unsigned>(Op::vex_unsupported) + 1, "one name per Op");

// Segment override prefixes by Sreg number (SDM Vol. 2, 2.1.1 group 2).
constexpr std::uint8_t kSegmentPrefixes[6] = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};

// clang-format on

// 3DNow! opcode suffixes, the imm8 after 0F 0F /r (AMD APM Vol. 3, Table A-16).
constexpr std::uint8_t k3DNowSuffixes[] = {0x0C, 0x0D, 0x1C, 0x1D, 0x8A, 0x8E, 0x90, 0x94,
                                           0x96, 0x97, 0x9A, 0x9E, 0xA0, 0xA4, 0xA6, 0xA7,
                                           0xAA, 0xAE, 0xB0, 0xB4, 0xB6, 0xB7, 0xBB, 0xBF};

bool is_3dnow_suffix(std::uint8_t s) {
  for (std::uint8_t v : k3DNowSuffixes) {
    if (v == s) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Decoder state
// ---------------------------------------------------------------------------------------------

struct Decoder {
  const std::uint8_t* bytes;
  std::size_t limit;  // min(avail, 15)
  std::size_t pos;
  Insn& insn;
  bool p66;               // 66 seen
  bool p67;               // 67 seen
  std::uint8_t last_rep;  // last of F2/F3, 0 if none

  bool next(std::uint8_t& v) {
    if (pos >= limit) return false;
    v = bytes[pos++];
    return true;
  }
  bool peek(std::uint8_t& v) const {
    if (pos >= limit) return false;
    v = bytes[pos];
    return true;
  }
  // Little-endian unsigned value of n bytes.
  bool take(unsigned n, std::uint32_t& v) {
    if (limit - pos < n) return false;
    v = 0;
    for (unsigned i = 0; i < n; ++i) v |= static_cast<std::uint32_t>(bytes[pos + i]) << (8 * i);
    pos += n;
    return true;
  }
  // The mandatory-prefix column: the last F2/F3 if any, else 66 (SDM Vol. 2, 2.1.2 leaves
  // other combinations undefined; this is the rule of current decoders, Zydis included).
  Column column() const {
    if (last_rep == 0xF3) return kColF3;
    if (last_rep == 0xF2) return kColF2;
    return p66 ? kCol66 : kColNp;
  }
};

std::int32_t sign_extend(std::uint32_t v, unsigned bytes) {
  if (bytes == 1) return static_cast<std::int8_t>(v);
  if (bytes == 2) return static_cast<std::int16_t>(v);
  return static_cast<std::int32_t>(v);
}

// Records one legacy prefix (SDM Vol. 2, 2.1.1); false if b is not a prefix.
bool apply_prefix(Decoder& d, std::uint8_t b) {
  for (std::int8_t s = 0; s < 6; ++s) {
    if (kSegmentPrefixes[s] == b) {
      d.insn.seg = s;  // the last override wins
      return true;
    }
  }
  if (b == 0x66) {
    d.p66 = true;
  } else if (b == 0x67) {
    d.p67 = true;
  } else if (b == 0xF0) {
    d.insn.lock = true;
  } else if (b == 0xF2 || b == 0xF3) {
    d.last_rep = b;
    (b == 0xF3 ? d.insn.rep : d.insn.repne) = true;
  } else {
    return false;
  }
  return true;
}

// Consumes the prefixes; returns the first opcode byte.  66 / 67 select the non-default
// operand / address size however often they repeat.
bool read_prefixes(Decoder& d, std::uint8_t& opcode, bool default32) {
  for (;;) {
    if (!d.next(opcode)) return false;
    if (!apply_prefix(d, opcode)) break;
    ++d.insn.prefix_count;
  }
  d.insn.opsize = (default32 != d.p66) ? 4 : 2;
  d.insn.addrsize = (default32 != d.p67) ? 4 : 2;
  return true;
}

// Displacement size for a ModRM memory operand (SDM Vol. 2, Tables 2-1 to 2-3).
unsigned disp_size(const Insn& in) {
  if (in.mod == 1) return 1;
  if (in.addrsize == 2) return (in.mod == 2 || (in.mod == 0 && in.rm == 6)) ? 2 : 0;
  if (in.mod == 2 || (in.mod == 0 && in.rm == 5)) return 4;
  return (in.has_sib && in.mod == 0 && in.base == 5) ? 4 : 0;
}

// ModRM, SIB and displacement.  force_reg: the mod field is ignored and the operand is a
// register (MOV to/from CR/DR, SDM Vol. 2 MOV-Move to/from Control/Debug Registers).
bool read_modrm(Decoder& d, bool force_reg) {
  std::uint8_t m;
  if (!d.next(m)) return false;
  Insn& in = d.insn;
  in.has_modrm = true;
  in.mod = force_reg ? 3 : static_cast<std::uint8_t>(m >> 6);
  in.reg = static_cast<std::uint8_t>((m >> 3) & 7);
  in.rm = static_cast<std::uint8_t>(m & 7);
  if (in.mod == 3) return true;
  if (in.addrsize == 4 && in.rm == 4) {
    std::uint8_t s;
    if (!d.next(s)) return false;
    in.has_sib = true;
    in.scale = static_cast<std::uint8_t>(s >> 6);
    in.index = static_cast<std::uint8_t>((s >> 3) & 7);
    in.base = static_cast<std::uint8_t>(s & 7);
  }
  const unsigned n = disp_size(in);
  std::uint32_t v = 0;
  if (n != 0 && !d.take(n, v)) return false;
  in.disp = n != 0 ? sign_extend(v, n) : 0;
  return true;
}

// Second immediate of Ap (selector), ENTER (Ib) and EXTRQ/INSERTQ (second Ib).
bool read_imm2(Decoder& d, unsigned n) {
  std::uint32_t v;
  if (!d.take(n, v)) return false;
  d.insn.imm2 = static_cast<std::uint16_t>(v);
  return true;
}

bool read_imm(Decoder& d, Imm kind) {
  Insn& in = d.insn;
  switch (kind) {
    case kNoImm:
      return true;
    case kIb:
      return d.take(1, in.imm);
    case kIw:
      return d.take(2, in.imm);
    case kIz:
      return d.take(in.opsize, in.imm);
    case kMoffs:
      return d.take(in.addrsize, in.imm);
    case kAp:
      return d.take(in.opsize, in.imm) && read_imm2(d, 2);
    case kIwIb:
      return d.take(2, in.imm) && read_imm2(d, 1);
    case kIbIb:
      return d.take(1, in.imm) && read_imm2(d, 1);
  }
  return false;
}

bool form_ok(std::uint8_t form_bits, Column col, bool mem) {
  const Form f = static_cast<Form>((form_bits >> (2 * col)) & 3);
  return f == kA || (f == kM && mem) || (f == kR && !mem);
}

bool group_ok(const Group& g, const Insn& in, Column col) {
  const GroupEntry& e = g[in.reg];
  const std::uint8_t mask = in.mod != 3 ? e.mem : e.reg;
  return (mask >> col) & 1;
}

bool lock_ok(const Insn& in) {
  if (!in.lock) return true;
  if (!in.has_modrm || in.mod == 3) return false;
  for (const LockRule& r : kLockable) {
    if (r.map == in.opcode_map && r.opcode == in.opcode) return (r.regs >> in.reg) & 1;
  }
  return false;
}

// Op, sreg and port_in_dx of the instructions identified by opcode or group.
void classify(Insn& in) {
  in.op = Op::other;
  if (in.opcode_map == 0 && in.opcode == 0x8E) {  // MOV Sw,Ew
    in.op = Op::mov_to_sreg;
    in.sreg = static_cast<std::int8_t>(in.reg);
  } else if (in.opcode_map == 0 && in.opcode == 0xFF) {
    in.op = kGrp5Ops[in.reg];
  } else if (in.opcode_map == 1 && in.opcode == 0x00) {
    in.op = kGrp6Ops[in.reg];
  } else if (in.opcode_map == 1 && in.opcode == 0x01) {
    // Register forms are other instructions (VMCALL, MONITOR, ...) except SMSW and LMSW.
    const bool any_mod = in.reg == 4 || in.reg == 6;
    in.op = (in.mod != 3 || any_mod) ? kGrp7Ops[in.reg] : Op::other;
  }
  for (const Sensitive& s : kSensitive) {
    if (s.map == in.opcode_map && s.opcode == in.opcode) {
      in.op = s.op;
      in.sreg = s.sreg;
      in.port_in_dx = s.port_in_dx;
    }
  }
  // Width of the data moved by IN/OUT/INS/OUTS: even opcodes bytes, odd ones operand size.
  if (in.op == Op::in || in.op == Op::out || in.op == Op::ins || in.op == Op::outs) {
    in.width = (in.opcode & 1) ? in.opsize : 1;
  }
}

// ---------------------------------------------------------------------------------------------
// One-byte map
// ---------------------------------------------------------------------------------------------

bool one_byte_valid(const Insn& in) {
  const std::uint8_t op = in.opcode;
  const bool mem = in.mod != 3;
  if (op >= 0xD8 && op <= 0xDF) {  // x87
    const unsigned esc = op - 0xD8u;
    return mem ? (kX87Mem[esc] >> in.reg) & 1 : (kX87Reg[esc][in.reg] >> in.rm) & 1;
  }
  if ((op == 0xC6 || op == 0xC7) && in.reg == 7) return !mem && in.rm == 0;  // XABORT XBEGIN
  for (const RegRule& r : kOneByteRegRules) {
    if (r.opcode == op) return ((mem ? r.mem_regs : r.reg_regs) >> in.reg) & 1;
  }
  return true;
}

// VEX (C4/C5), EVEX (62) and XOP (8F) escapes in 32-bit mode (SDM Vol. 2, 2.3.1 and 2.7.1;
// AMD APM Vol. 3, 1.8): C4/C5/62 are VEX/EVEX when the next byte has bits 7:6 = 11 (a ModRM
// with mod = 11 would be undefined for LES/LDS/BOUND); 8F is XOP when the map_select field
// (bits 4:0 of the next byte) is 8 or more (POP Ev has ModRM.reg = 0).
bool is_vex_escape(std::uint8_t op, std::uint8_t next) {
  if (op == 0xC4 || op == 0xC5 || op == 0x62) return (next & 0xC0) == 0xC0;
  return op == 0x8F && (next & 0x1F) >= 8;
}

// Decodes a one-byte-map instruction after its opcode.  False if invalid or truncated.
bool decode_one_byte(Decoder& d, std::uint8_t op) {
  Insn& in = d.insn;
  in.opcode = op;
  const std::uint8_t attr = kOneByte[op];
  if ((attr & kModrm) && (!read_modrm(d, false) || !one_byte_valid(in))) return false;
  Imm imm = static_cast<Imm>(attr & kImmMask);
  if ((op == 0xF6 || op == 0xF7) && in.reg <= 1) imm = op == 0xF6 ? kIb : kIz;  // TEST E,I
  return read_imm(d, imm);
}

// ---------------------------------------------------------------------------------------------
// 0F maps
// ---------------------------------------------------------------------------------------------

// MPX (SDM Vol. 2, BNDCL .. BNDSTX; Table A-3 rows 0F 1A/1B): bound registers are BND0-3
// (#UD for ModRM.reg > 3, and for ModRM.rm > 3 in BNDMOV's register form) and 16-bit
// addressing is #UD.  Forms without an MPX meaning (NP and F3 0F 1B register forms) are the
// reserved NOP Ev.
bool mpx_ok(const Insn& in, Column col) {
  const bool mem = in.mod != 3;
  const bool nop = !mem && (col == kColNp || (col == kColF3 && in.opcode == 0x1B));
  if (nop) return true;
  if (in.reg > 3 || (mem && in.addrsize == 2)) return false;
  return !(col == kCol66 && !mem && in.rm > 3);  // BNDMOV bnd, bnd
}

// VIA PadLock (VIA PadLock Programming Guide): F3 0F A6 C0/C8/D0 REP MONTMUL/XSHA1/XSHA256;
// 0F A7 C0 XSTORE (REP optional); F3 0F A7 C8/D0/D8/E0/E8 REP XCRYPTECB/CBC/CTR/CFB/OFB.
bool padlock_ok(const Insn& in, Column col) {
  if (in.mod != 3 || in.rm != 0) return false;
  if (in.opcode == 0xA6) return col == kColF3 && in.reg <= 2;
  if (in.reg == 0) return col != kColF2;
  return col == kColF3 && in.reg <= 5;
}

// 0F 78: VMREAD Ey,Gy (NP); EXTRQ Uq,Ib,Ib (66 /0, register); INSERTQ Vq,Uq,Ib,Ib (F2).
bool op78_ok(const Insn& in, Column col) {
  if (col == kColNp) return true;
  if (col == kCol66) return in.mod == 3 && in.reg == 0;
  return col == kColF2 && in.mod == 3;
}

// Groups and special opcodes of the 0F map (entries marked G), after the ModRM was read.
bool check_0f_special(const Insn& in, Column col) {
  const std::uint8_t op = in.opcode;
  if (op == 0x00) return group_ok(kGrp6, in, col);
  if (op == 0x01 && in.mod != 3) return group_ok(kGrp7, in, col);
  if (op == 0x01) return (kGrp7Reg[in.reg][in.rm] >> col) & 1;
  if (op == 0x1A || op == 0x1B) return mpx_ok(in, col);
  // MOV CR: CR0 CR2 CR3 CR4 exist (CR8 only in 64-bit mode); MOV DR: DR0-DR7.
  if (op == 0x20 || op == 0x22) return in.reg == 0 || (in.reg >= 2 && in.reg <= 4);
  if (op == 0x71 || op == 0x72) return group_ok(kGrp12, in, col);
  if (op == 0x73) return group_ok(kGrp14, in, col);
  if (op == 0x78) return op78_ok(in, col);
  if (op == 0xA6 || op == 0xA7) return padlock_ok(in, col);
  if (op == 0xAE) return group_ok(kGrp15, in, col);
  if (op == 0xBA) return group_ok(kGrp8, in, col);
  if (op == 0xC7) return group_ok(kGrp9, in, col);
  return true;  // 0F 0F (suffix checked later), 0F 21/23, 0F 38/3A never get here
}

bool check_special(const Insn& in, Column col) {
  if (in.opcode_map == 1) return check_0f_special(in, col);
  if (in.opcode_map == 2) return group_ok(kKlWide, in, col);  // 0F 38 D8
  return in.reg == 0 && in.rm == 0;                           // 0F 3A F0 C0 HRESET
}

// Immediate of a 0F-map instruction: from the table, except the SSE4a and 3DNow! forms.
Imm imm_0f(const Insn& in, const MapEntry& e, Column col) {
  if (in.opcode_map == 1 && in.opcode == 0x78 && col != kColNp) return kIbIb;  // EXTRQ INSERTQ
  if (in.opcode_map == 1 && in.opcode == 0x0F) return kIb;  // 3DNow! opcode suffix
  return static_cast<Imm>(e.attr & kImmMask);
}

// Decodes the opcode bytes after the 0F escape.  False if invalid or truncated.
bool decode_0f(Decoder& d) {
  Insn& in = d.insn;
  std::uint8_t op;
  if (!d.next(op)) return false;
  const Map* map = &k0F;
  in.opcode_map = 1;
  if (op == 0x38 || op == 0x3A) {
    map = op == 0x38 ? &k0F38 : &k0F3A;
    in.opcode_map = op == 0x38 ? 2 : 3;
    if (!d.next(op)) return false;
  }
  in.opcode = op;
  const MapEntry e = (*map)[op];
  if (e.forms == 0) return false;
  const Column col = d.column();
  const bool movcr = in.opcode_map == 1 && op >= 0x20 && op <= 0x23;
  if ((e.attr & kModrm) && !read_modrm(d, movcr)) return false;
  if (!form_ok(e.forms, col, in.has_modrm && in.mod != 3)) return false;
  if ((e.attr & kSpecial) && !check_special(in, col)) return false;
  if (!read_imm(d, imm_0f(in, e, col))) return false;
  return !(in.opcode_map == 1 && op == 0x0F && !is_3dnow_suffix(static_cast<std::uint8_t>(in.imm)));
}

bool decode_opcode(Decoder& d, std::uint8_t op) {
  if (kOneByte[op] & kEscape) return decode_0f(d);
  std::uint8_t next;
  if (d.peek(next) && is_vex_escape(op, next)) {
    // SDM Vol. 2, 2.3.2: a LOCK, 66, F2 or F3 prefix before VEX/EVEX/XOP is #UD.
    if (d.p66 || d.last_rep != 0 || d.insn.lock) return false;
    d.insn.op = Op::vex_unsupported;
    return true;
  }
  return decode_one_byte(d, op);
}

// Field by field: a whole-struct assignment becomes a memcpy call at -O0, which a
// freestanding image need not provide.
void reset(Insn& in) {
  in.length = 0;
  in.op = Op::invalid;
  in.opsize = in.addrsize = in.width = 0;
  in.rep = in.repne = in.lock = false;
  in.seg = -1;
  in.has_modrm = in.has_sib = false;
  in.mod = in.reg = in.rm = in.scale = in.index = in.base = 0;
  in.disp = 0;
  in.imm = 0;
  in.port_in_dx = false;
  in.opcode_map = in.opcode = 0;
  in.imm2 = 0;
  in.sreg = -1;
  in.prefix_count = 0;
}

bool fail(Insn& in) {
  reset(in);
  return false;
}

}  // namespace

const char* mnemonic(Op op) {
  const unsigned i = static_cast<unsigned>(op);
  return i < sizeof kOpNames / sizeof kOpNames[0] ? kOpNames[i] : "(unknown)";
}

bool decode(const std::uint8_t* bytes, std::size_t avail, Insn& out, bool default32) {
  reset(out);
  if (bytes == nullptr) return false;
  Decoder d{bytes, avail < kMaxInsnLength ? avail : kMaxInsnLength, 0, out, false, false, 0};
  std::uint8_t op;
  if (!read_prefixes(d, op, default32) || !decode_opcode(d, op)) return fail(out);
  if (out.op == Op::vex_unsupported) return true;
  if (!lock_ok(out)) return fail(out);
  classify(out);
  out.length = static_cast<std::uint8_t>(d.pos);
  return true;
}

std::uint32_t effective_address(const Insn& in, const std::uint32_t gpr[8]) {
  if (!in.has_modrm || in.mod == 3 || gpr == nullptr) return 0;
  const std::uint32_t disp = static_cast<std::uint32_t>(in.disp);
  if (in.addrsize == 2) {
    // SDM Vol. 2, Table 2-1: BX+SI BX+DI BP+SI BP+DI SI DI BP BX.
    constexpr std::int8_t kBase[8] = {3, 3, 5, 5, 6, 7, 5, 3};
    constexpr std::int8_t kIndex[8] = {6, 7, 6, 7, -1, -1, -1, -1};
    std::uint32_t ea = disp;
    if (!(in.mod == 0 && in.rm == 6)) ea += gpr[kBase[in.rm]];
    if (kIndex[in.rm] >= 0) ea += gpr[kIndex[in.rm]];
    return ea & 0xFFFFu;
  }
  if (!in.has_sib) return (in.mod == 0 && in.rm == 5) ? disp : gpr[in.rm] + disp;
  // SDM Vol. 2, Table 2-3: index 100 means none; base 101 with mod 00 means disp32.
  std::uint32_t ea = disp;
  if (!(in.base == 5 && in.mod == 0)) ea += gpr[in.base];
  if (in.index != 4) ea += gpr[in.index] << in.scale;
  return ea;
}

std::int8_t effective_segment(const Insn& in) {
  if (in.seg >= 0) return in.seg;
  if (!in.has_modrm || in.mod == 3) return kDs;
  if (in.addrsize == 2) {
    const bool bp = in.rm == 2 || in.rm == 3 || (in.rm == 6 && in.mod != 0);
    return bp ? kSs : kDs;
  }
  if (in.has_sib) {
    const bool sp_bp = in.base == 4 || (in.base == 5 && in.mod != 0);
    return sp_bp ? kSs : kDs;
  }
  return (in.rm == 5 && in.mod != 0) ? kSs : kDs;
}

}  // namespace gandalf::x86
