// Switch benchmark guest (bench/README.md): the master ping-pongs with a partner partition
// through the halt hypercall (Gandalf's wake_on_halt instrumentation, as in the paper) and
// times, in the same run, the switch round trip, the null hypercall, one trap-and-emulate
// and the bare rdtsc pair, as medians over `iterations` samples each.
#include "guests/lib/runtime.hpp"

using namespace guest;

namespace {

constexpr std::uint32_t max_samples = 10000;
constinit std::uint32_t samples[max_samples]{};

template <typename Body>
void measure(const char* name, std::uint32_t n, Body body) {
  for (std::uint32_t i = 0; i < 100; ++i) body();  // warm up
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint64_t t0 = bare_rdtsc();
    body();
    const std::uint64_t t1 = bare_rdtsc();
    samples[i] = static_cast<std::uint32_t>(t1 - t0);
  }
  bare_sort_u32(samples, n);
  print("bench: %s median=%u min=%u max=%u n=%u\n", name, samples[n / 2], samples[0], samples[n - 1], n);
}

[[noreturn]] void master() {
  std::uint32_t n = arg_uint("iterations", max_samples);
  if (n == 0 || n > max_samples) n = max_samples;
  print("bench: start iterations=%u\n", n);
  measure("rdtsc_pair", n, [] {});
  measure("null_hypercall", n, [] { gandalf_set_if(2); });
  measure("trap_emulate", n, [] { (void)bare_inb(0x21); });
  measure("switch_round_trip", n, [] { gandalf_halt(0); });
  print("bench: done\n");
  for (;;) gandalf_halt(0);
}

}  // namespace

extern "C" void guest_main(std::uint32_t info) {
  boot = reinterpret_cast<const gandalf_boot_info*>(info);
  console_init(false);
  char role[16];
  if (arg("bench", role, sizeof role) == nullptr) role[0] = '\0';
  print("[%s] bench guest up role=%s\n", boot->name, role);
  if (streq(role, "master")) master();
  for (;;) gandalf_halt(0);  // partner (woken by the master's halt) or idle
}
