// bare: the four memory functions a compiler may call in freestanding code, for every
// freestanding part of the tree (Gandalf, its test guests, the μITRON port and applications).
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
