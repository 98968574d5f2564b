// Gandalf channels for μITRON tasks (itron/include/syssvc/channel.h, docs/channel.md). The
// record functions are the shared ones of include/gandalf/channel.h; this file finds the
// channel through Gandalf's select port and maps the results to μITRON error codes.
#include <syssvc/channel.h>

#include "kernel/core.hpp"

namespace {

inline void outl(uint16_t port, uint32_t v) { asm volatile("outl %0, %1" ::"a"(v), "Nd"(port) : "memory"); }
inline uint32_t inl(uint16_t port) {
  uint32_t v;
  asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
  return v;
}

uint32_t channel_field(uint_t n, uint32_t field) {
  outl(GANDALF_CHANNEL_SELECT, (static_cast<uint32_t>(n) << 8) | field);
  return inl(GANDALF_CHANNEL_SELECT);
}

bool name_is(uint_t n, const char* name) {
  for (uint32_t w = 0; w < 4; ++w) {
    const uint32_t word = channel_field(n, GANDALF_CHF_NAME + w);
    for (uint32_t b = 0; b < 4; ++b) {
      const char c = static_cast<char>(word >> (8 * b));
      if (c != *name) return false;
      if (c == '\0') return true;
      ++name;
    }
  }
  return false;
}

}  // namespace

extern "C" ER gch_opn(const char* name, INTNO intno, T_GCH* p_gch) {
  if (name == nullptr || p_gch == nullptr) return E_PAR;
  const uint32_t count = channel_field(0, GANDALF_CHF_COUNT);
  for (uint_t n = 0; n < count && n < 16; ++n) {
    if (!name_is(n, name)) continue;
    if (channel_field(n, GANDALF_CHF_IRQ) != intno) return E_PAR;
    const uint32_t address = channel_field(n, GANDALF_CHF_ADDRESS);
    const uint32_t size = channel_field(n, GANDALF_CHF_SIZE);
    const uint32_t record = channel_field(n, GANDALF_CHF_RECORD);
    const int second = channel_field(n, GANDALF_CHF_HALF) != 0;
    if (gandalf_channel_attach(&p_gch->end, reinterpret_cast<volatile void*>(address), size, record, second) != 0)
      return E_SYS;
    p_gch->number = n;
    p_gch->intno = intno;
    p_gch->size = size;
    p_gch->payload = record - 4;
    p_gch->bad = 0;
    return E_OK;
  }
  return E_NOEXS;
}

extern "C" ER gch_snd(T_GCH* p_gch, const void* data, uint_t len) {
  switch (gandalf_channel_send(&p_gch->end, data, len)) {
    case 0:
      if (gandalf_channel_peer_wants_data(&p_gch->end)) gch_rng(p_gch);  // a reader sleeps on it
      return E_OK;
    case GANDALF_CH_TOO_LONG: return E_PAR;
    default: return E_TMOUT;
  }
}

extern "C" ER_UINT gch_rcv(T_GCH* p_gch, void* buf, uint_t size) {
  const int r = gandalf_channel_receive(&p_gch->end, buf, size);
  if (r >= 0) {
    if (gandalf_channel_peer_waits(&p_gch->end)) gch_rng(p_gch);  // room again: wake the writer
    return r;
  }
  if (r == GANDALF_CH_TOO_LONG) return E_PAR;
  if (r == GANDALF_CH_BAD) {
    ++p_gch->bad;
    return E_OBJ;
  }
  return E_TMOUT;
}

extern "C" ER gch_skp(T_GCH* p_gch) {
  return gandalf_channel_skip(&p_gch->end) == 0 ? E_OK : E_TMOUT;
}

extern "C" ER gch_rng(T_GCH* p_gch) {
  outl(GANDALF_CHANNEL_DOORBELL, p_gch->number);
  return E_OK;
}
