// Guest runtime: console, virtual devices, arguments, sorting.
#include "guests/lib/runtime.hpp"

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

void trapped_out(std::uint16_t port, std::uint8_t v) {
  ++trapped_io;
  outb(port, v);
}

void putc(char c) {
  if (c == '\n') putc('\r');
  while ((inb(static_cast<std::uint16_t>(com + 5)) & 0x20) == 0) {
  }
  outb(com, static_cast<std::uint8_t>(c));
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
  outb(static_cast<std::uint16_t>(com + 1), 0);
  outb(static_cast<std::uint16_t>(com + 3), 0x80);  // DLAB: 115200 baud
  outb(com, 1);
  outb(static_cast<std::uint16_t>(com + 1), 0);
  outb(static_cast<std::uint16_t>(com + 3), 0x03);  // 8N1
  outb(static_cast<std::uint16_t>(com + 2), 0x07);  // FIFO on, cleared
  outb(static_cast<std::uint16_t>(com + 4), 0x0b);  // DTR, RTS, OUT2 (IRQ line enable)
  outb(static_cast<std::uint16_t>(com + 1), rx_interrupts ? 0x01 : 0x00);
}

void print(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  format(fmt, ap);
  va_end(ap);
}

int console_getc() {
  if ((inb(static_cast<std::uint16_t>(com + 5)) & 0x01) == 0) return -1;
  return inb(com);
}

void vpic_init(bool auto_eoi, std::uint16_t unmasked) {
  const std::uint8_t icw4 = auto_eoi ? 0x03 : 0x01;
  trapped_out(0x20, 0x11);  // ICW1: edge, cascade, ICW4 needed
  trapped_out(0x21, GANDALF_VIRQ_BASE);
  trapped_out(0x21, 0x04);  // ICW3: slave on IR2
  trapped_out(0x21, icw4);
  trapped_out(0xa0, 0x11);
  trapped_out(0xa1, GANDALF_VIRQ_BASE + 8);
  trapped_out(0xa1, 0x02);
  trapped_out(0xa1, icw4);
  vpic_set_mask(unmasked);
}

void vpic_set_mask(std::uint16_t unmasked) {
  const std::uint16_t mask = static_cast<std::uint16_t>(~(unmasked | ((unmasked & 0xff00) ? 0x4 : 0)));
  trapped_out(0x21, static_cast<std::uint8_t>(mask));
  trapped_out(0xa1, static_cast<std::uint8_t>(mask >> 8));
}

void vpic_eoi(unsigned irq) {
  if (irq >= 8) trapped_out(0xa0, 0x20);
  trapped_out(0x20, 0x20);
}

void vpit_periodic(std::uint16_t count) {
  trapped_out(0x43, 0x34);  // counter 0, lo/hi, mode 2
  trapped_out(0x40, static_cast<std::uint8_t>(count));
  trapped_out(0x40, static_cast<std::uint8_t>(count >> 8));
}

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

namespace {
void sift_down(std::uint32_t* v, std::size_t root, std::size_t n) {
  for (std::size_t child; (child = 2 * root + 1) < n; root = child) {
    if (child + 1 < n && v[child + 1] > v[child]) ++child;
    if (v[root] >= v[child]) return;
    const std::uint32_t t = v[root];
    v[root] = v[child];
    v[child] = t;
  }
}
}  // namespace

void sort(std::uint32_t* v, std::size_t n) {
  for (std::size_t i = n / 2; i-- > 0;) sift_down(v, i, n);
  for (std::size_t end = n; end-- > 1;) {
    const std::uint32_t t = v[0];
    v[0] = v[end];
    v[end] = t;
    sift_down(v, 0, end);
  }
}

}  // namespace guest

// The compiler may call these.
extern "C" void* memset(void* d, int c, std::size_t n) {
  auto* p = static_cast<unsigned char*>(d);
  while (n--) *p++ = static_cast<unsigned char>(c);
  return d;
}
extern "C" void* memcpy(void* d, const void* s, std::size_t n) {
  auto* p = static_cast<unsigned char*>(d);
  const auto* q = static_cast<const unsigned char*>(s);
  while (n--) *p++ = *q++;
  return d;
}

// Written by the isr_probe_* handlers (start.S): the last fault a probe provoked on purpose.
extern "C" {
volatile std::uint32_t probe_vector = 0, probe_error = 0, probe_skip = 0;
}
