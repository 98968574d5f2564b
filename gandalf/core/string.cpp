// The four memory functions the compiler may call in freestanding code.
#include <cstddef>

extern "C" {

// Four bytes per iteration, then the rest: Bochs counts every `rep` iteration as an
// instruction, so a byte-wise copy of a large image would hold interrupts off four times as
// long in its virtual time (a restart's chunk, loader.cpp).
void* memcpy(void* dst, const void* src, std::size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  const auto* s = static_cast<const unsigned char*>(src);
  std::size_t words = n / 4, rest = n % 4;
  asm volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
  asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(rest) : : "memory");
  return dst;
}

void* memset(void* dst, int value, std::size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  const unsigned byte = static_cast<unsigned char>(value);
  std::size_t words = n / 4, rest = n % 4;
  asm volatile("rep stosl" : "+D"(d), "+c"(words) : "a"(byte * 0x01010101u) : "memory");
  asm volatile("rep stosb" : "+D"(d), "+c"(rest) : "a"(byte) : "memory");
  return dst;
}

void* memmove(void* dst, const void* src, std::size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  const auto* s = static_cast<const unsigned char*>(src);
  if (d <= s || d >= s + n) return memcpy(dst, src, n);
  while (n-- > 0) d[n] = s[n];
  return dst;
}

int memcmp(const void* a, const void* b, std::size_t n) {
  const auto* x = static_cast<const unsigned char*>(a);
  const auto* y = static_cast<const unsigned char*>(b);
  for (std::size_t i = 0; i < n; ++i)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

}

extern "C" {

std::size_t strlen(const char* s) {
  std::size_t n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

int strncmp(const char* a, const char* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
    if (x == '\0') return 0;
  }
  return 0;
}

int strcmp(const char* a, const char* b) { return strncmp(a, b, static_cast<std::size_t>(-1)); }

// Copies at most n bytes and, unlike the C function, always leaves dst terminated when n > 0
// (callers pass size - 1 and a zeroed buffer, so the C semantics hold as well).
char* strncpy(char* dst, const char* src, std::size_t n) {
  std::size_t i = 0;
  for (; i < n && src[i] != '\0'; ++i) dst[i] = src[i];
  for (; i < n; ++i) dst[i] = '\0';
  return dst;
}

}
