// Guest runtime: console, virtual devices, arguments.
#include "guests/lib/runtime.hpp"

#include "bare/devices.h"

#include <cstdarg>

extern "C" char __image_end[];
extern "C" void guest_entry();

// The image header Gandalf reads (include/gandalf/abi.h).
[[gnu::section(".gandalf_header"), gnu::used]] const gandalf_image_header gandalf_header = {
    GANDALF_IMAGE_MAGIC, GANDALF_ABI_VERSION, GUEST_LOAD,
    reinterpret_cast<std::uint32_t>(&guest_entry), reinterpret_cast<std::uint32_t>(__image_end),
    GUEST_STACK_TOP, {0, 0}};

namespace guest {

const gandalf_boot_info* boot = nullptr;
std::uint32_t trapped_io = 0;

namespace {

std::uint16_t com = 0;

void putc(char c) {
  if (c == '\n') putc('\r');
  while ((bare_inb(static_cast<std::uint16_t>(com + 5)) & 0x20) == 0) {
  }
  bare_outb(com, static_cast<std::uint8_t>(c));
}

void put_number(std::uint64_t v, unsigned base, int width, char pad) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v != 0);
  for (int i = n; i < width; ++i) putc(pad);
  while (n > 0) putc(tmp[--n]);
}

void format(const char* fmt, va_list ap) {
  for (; *fmt; ++fmt) {
    if (*fmt != '%') { putc(*fmt); continue; }
    ++fmt;
    char pad = ' ';
    if (*fmt == '0') { pad = '0'; ++fmt; }
    int width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    int longness = 0;
    while (*fmt == 'l') { ++longness; ++fmt; }
    switch (*fmt) {
      case 's': { const char* s = va_arg(ap, const char*); while (*s) putc(*s++); break; }
      case 'c': putc(static_cast<char>(va_arg(ap, int))); break;
      case 'd': {
        const long long v = longness >= 2 ? va_arg(ap, long long) : va_arg(ap, int);
        if (v < 0) putc('-');
        put_number(static_cast<std::uint64_t>(v < 0 ? -v : v), 10, width, pad);
        break;
      }
      case 'u': put_number(longness >= 2 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned), 10, width, pad); break;
      case 'x': put_number(longness >= 2 ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned), 16, width, pad); break;
      case '\0': return;
      default: putc(*fmt); break;
    }
  }
}

}  // namespace

#ifdef GUEST_BSS_RESERVE
// Makes the image's header say image_end lies this far beyond its code (a Linux-sized image).
alignas(4096) char guest_bss_reserve[GUEST_BSS_RESERVE];
#endif

void console_init(bool rx_interrupts) {
#ifdef GUEST_BSS_RESERVE
  asm volatile("" ::"r"(guest_bss_reserve));  // referenced, so --gc-sections keeps it
#endif
  com = boot->console_port;
  bare_uart_init(com, rx_interrupts ? 0x01 : 0x00);
}

void print(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  format(fmt, ap);
  va_end(ap);
}

int console_getc() {
  if ((bare_inb(static_cast<std::uint16_t>(com + 5)) & 0x01) == 0) return -1;
  return bare_inb(com);
}

void vpic_init(bool auto_eoi, std::uint16_t unmasked) {
  trapped_io += bare_pic_init(GANDALF_VIRQ_BASE, auto_eoi, unmasked);
}

void vpic_set_mask(std::uint16_t unmasked) { trapped_io += bare_pic_set_mask(unmasked); }

void vpic_eoi(unsigned irq) { trapped_io += bare_pic_eoi(irq); }

void vpit_periodic(std::uint16_t count) { trapped_io += bare_pit_periodic(count); }

bool streq(const char* a, const char* b) {
  while (*a && *a == *b) { ++a; ++b; }
  return *a == *b;
}

namespace {

// The value of the last "key=value" word in the arguments (module arguments come after the
// configuration's, so they win), or nullptr.
const char* find_value(const char* key) {
  const char* last = nullptr;
  for (const char* w = boot->args; *w;) {
    while (*w == ' ') ++w;
    const char* k = key;
    const char* p = w;
    while (*k && *p == *k) { ++k; ++p; }
    if (*k == '\0' && *p == '=') last = p + 1;
    while (*w && *w != ' ') ++w;
  }
  return last;
}

}  // namespace

const char* arg(const char* key, char* buf, std::size_t size) {
  const char* v = find_value(key);
  if (v == nullptr) return nullptr;
  std::size_t n = 0;
  for (; v[n] && v[n] != ' ' && n + 1 < size; ++n) buf[n] = v[n];
  buf[n] = '\0';
  return buf;
}

std::uint32_t arg_uint(const char* key, std::uint32_t fallback) {
  const char* v = find_value(key);
  if (v == nullptr) return fallback;
  std::uint32_t n = 0;
  for (; *v >= '0' && *v <= '9'; ++v) n = n * 10 + static_cast<std::uint32_t>(*v - '0');
  return n;
}

}  // namespace guest

// Written by the isr_probe_* handlers (start.S): the last fault a probe provoked on purpose.
extern "C" {
volatile std::uint32_t probe_vector = 0, probe_error = 0, probe_skip = 0;
}
