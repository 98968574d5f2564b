/* gandalf-selftest: what the `linux` test session asks of Linux on Gandalf, one subcommand
 * each, each printing one line that ends in "ok" or "FAILED: why" (tests/linux/run.py reads
 * it). Built static for i386 by linux/build and put into the initramfs as /bin/gandalf-selftest.
 *
 *   forkexec N     fork + exec /bin/true N times, every child's exit status checked
 *   pipe MIB       a child writes MIB MiB of a known sequence into a pipe, the parent checks
 *                  the checksum of what it read against the one the sequence must give
 *   signal         SIGUSR1 sent to itself and SIGUSR2 from a child process 50 ms later,
 *                  both caught (the kernel has no POSIX timers: tinyconfig)
 *   fpu SECONDS    sums 1/k^2 in double precision for about SECONDS (while the RTOS preempts
 *                  the partition), twice, and checks both sums against pi^2/6 and each other
 *   syscalls N     N getppid() calls, timed with rdtsc (cycles per call)
 *   sleep MS       nanosleep for MS ms, then CLOCK_MONOTONIC's and the TSC's view of how long it took
 *   priv           each privileged instruction and port access of a list, run by a child
 *                  process at CPL 3, must kill it with SIGSEGV (not be done for it)
 * and the rows of bench/run_linux.py (cycles per operation, rdtsc):
 *   forkexit N, forkexec N, piperoundtrip N, pagefault PAGES
 *   ctxsw N KB     two processes yielding to each other, each summing its own KB KiB between
 *                  yields (lmbench's lat_ctx working set; 0 for none)
 *   shc N          fork + exec of /bin/sh -c /bin/true, N times
 *   mmap N         mmap 1 MiB anonymous, write one byte in each page, munmap: N times
 */
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

static int failed(const char* what, const char* why) {
  printf("%s FAILED: %s\n", what, why);
  return 1;
}

/* Time stamp counter: guest instructions under QEMU -icount shift=0 (bench/run_linux.py). */
static inline uint64_t rdtsc(void) {
  uint32_t lo, hi;
  __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return ((uint64_t)hi << 32) | lo;
}

static unsigned long long per_op(uint64_t t0, long n) {
  return (unsigned long long)((rdtsc() - t0) / (uint64_t)(n > 0 ? n : 1));
}

/* fork + exec of `argv` (then wait for status 0), n times: the rows forkexec and shc. */
static int spawn_n(const char* name, long n, char* const argv[], const char* bad_exit) {
  const uint64_t t0 = rdtsc();
  for (long i = 0; i < n; ++i) {
    const pid_t pid = fork();
    if (pid < 0) return failed(name, "fork");
    if (pid == 0) {
      execv(argv[0], argv);
      _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
      return failed(name, bad_exit);
  }
  printf("%s %ld ok %llu cycles/op\n", name, n, per_op(t0, n));
  return 0;
}

static int forkexec(long n) {
  char* const argv[] = {"/bin/true", 0};
  return spawn_n("forkexec", n, argv, "a child did not exit with status 0");
}

static int forkexit(long n) {
  const uint64_t t0 = rdtsc();
  for (long i = 0; i < n; ++i) {
    const pid_t pid = fork();
    if (pid < 0) return failed("forkexit", "fork");
    if (pid == 0) _exit(0);
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return failed("forkexit", "wait");
  }
  printf("forkexit %ld ok %llu cycles/op\n", n, per_op(t0, n));
  return 0;
}

/* One byte to a child and back over two pipes: two context switches and four system calls. */
static int pipe_round_trip(long n) {
  int to_child[2], to_parent[2];
  if (pipe(to_child) != 0 || pipe(to_parent) != 0) return failed("piperoundtrip", "pipe");
  const pid_t pid = fork();
  if (pid < 0) return failed("piperoundtrip", "fork");
  char c = 0;
  if (pid == 0) {
    close(to_child[1]);
    close(to_parent[0]);
    while (read(to_child[0], &c, 1) == 1 && write(to_parent[1], &c, 1) == 1) {}
    _exit(0);
  }
  close(to_child[0]);
  close(to_parent[1]);
  const uint64_t t0 = rdtsc();
  for (long i = 0; i < n; ++i)
    if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1) return failed("piperoundtrip", "i/o");
  const unsigned long long cycles = per_op(t0, n);
  close(to_child[1]);
  waitpid(pid, 0, 0);
  printf("piperoundtrip %ld ok %llu cycles/op\n", n, cycles);
  return 0;
}

/* Two processes yielding to each other: a context switch and a system call per yield. Each
 * sums its own working set of `kib` KiB between yields (lmbench's lat_ctx), so that a switch
 * costs what refilling its TLB (and, under Gandalf, its shadow page tables) costs. */
static volatile unsigned sink;

static unsigned touch(const unsigned char* set, size_t len) {
  unsigned sum = 0;
  for (size_t i = 0; i < len; i += 64) sum += set[i];
  return sum;
}

static int context_switch(long n, long kib) {
  const size_t len = (size_t)kib * 1024;
  unsigned char* set = len ? malloc(len) : 0;
  if (len && !set) return failed("ctxsw", "malloc");
  if (len) memset(set, 1, len);
  const pid_t pid = fork();
  if (pid < 0) return failed("ctxsw", "fork");
  if (pid == 0) {
    for (;;) {
      sink = touch(set, len);
      sched_yield();
    }
  }
  const uint64_t t0 = rdtsc();
  for (long i = 0; i < n; ++i) {
    sink = touch(set, len);
    sched_yield();
  }
  const unsigned long long cycles = per_op(t0, 2 * n);
  kill(pid, SIGKILL);
  waitpid(pid, 0, 0);
  printf("ctxsw %ld %ldk ok %llu cycles/op\n", n, kib, cycles);
  return 0;
}

/* fork + exec of a shell that runs a program: lmbench's lat_proc "sh". */
static int shell_c(long n) {
  char* const argv[] = {"/bin/sh", "-c", "/bin/true", 0};
  return spawn_n("shc", n, argv, "the shell did not exit with status 0");
}

/* mmap of 1 MiB of anonymous memory, a write to each page, munmap. */
static int mmap_test(long n) {
  const size_t len = 1 << 20;
  const uint64_t t0 = rdtsc();
  for (long i = 0; i < n; ++i) {
    unsigned char* p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return failed("mmap", "mmap failed");
    for (size_t off = 0; off < len; off += 4096) p[off] = 1;
    if (munmap(p, len) != 0) return failed("mmap", "munmap failed");
  }
  printf("mmap %ld ok %llu cycles/op\n", n, per_op(t0, n));
  return 0;
}

/* xorshift32: the sequence both ends agree on. */
static uint32_t next(uint32_t* s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

static uint32_t fnv(uint32_t h, const unsigned char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  return h;
}

static int pipe_test(long mib) {
  int fd[2];
  const size_t total = (size_t)mib << 20;
  if (pipe(fd) != 0) return failed("pipe", "pipe()");
  pid_t pid = fork();
  if (pid < 0) return failed("pipe", "fork");
  if (pid == 0) {
    close(fd[0]);
    uint32_t s = 2463534242u, buf[1024];
    for (size_t sent = 0; sent < total; sent += sizeof buf) {
      for (int i = 0; i < 1024; ++i) buf[i] = next(&s);
      for (size_t off = 0; off < sizeof buf;) {
        ssize_t w = write(fd[1], (char*)buf + off, sizeof buf - off);
        if (w <= 0) _exit(1);
        off += (size_t)w;
      }
    }
    _exit(0);
  }
  close(fd[1]);
  uint32_t got = 2166136261u, want = 2166136261u, s = 2463534242u, ref[1024];
  size_t received = 0;
  unsigned char buf[4096];
  for (;;) {
    ssize_t r = read(fd[0], buf, sizeof buf);
    if (r < 0) return failed("pipe", "read");
    if (r == 0) break;
    got = fnv(got, buf, (size_t)r);
    received += (size_t)r;
  }
  for (size_t made = 0; made < total; made += sizeof ref) {
    for (int i = 0; i < 1024; ++i) ref[i] = next(&s);
    want = fnv(want, (unsigned char*)ref, sizeof ref);
  }
  int status;
  waitpid(pid, &status, 0);
  if (received != total) return failed("pipe", "short transfer");
  if (got != want) return failed("pipe", "checksum mismatch");
  printf("pipe %ld MiB checksum 0x%08x ok\n", mib, got);
  return 0;
}

static volatile sig_atomic_t usr1, usr2;
static void on_usr1(int sig) { usr1 = sig; }
static void on_usr2(int sig) { usr2 = sig; }

static int signal_test(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, 0);
  sa.sa_handler = on_usr2;
  sigaction(SIGUSR2, &sa, 0);
  kill(getpid(), SIGUSR1);
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return failed("signal", "fork");
  if (pid == 0) {
    usleep(50000);
    kill(parent, SIGUSR2);
    _exit(0);
  }
  for (int i = 0; i < 200 && !usr2; ++i) usleep(10000);
  waitpid(pid, 0, 0);
  if (usr1 != SIGUSR1) return failed("signal", "SIGUSR1 not caught");
  if (usr2 != SIGUSR2) return failed("signal", "SIGUSR2 from the child not caught within 2 s");
  printf("signal SIGUSR1 SIGUSR2 caught ok\n");
  return 0;
}

/* Privileged work from user mode: each in a child, which must die of SIGSEGV. */
static void priv_cli(void) { __asm__ volatile("cli"); }
static void priv_sti(void) { __asm__ volatile("sti"); }
static void priv_hlt(void) { __asm__ volatile("hlt"); }
static void priv_pic(void) { __asm__ volatile("outb %%al, $0x21" ::"a"(0xff)); }         /* mask every IRQ */
static void priv_channel(void) { __asm__ volatile("outl %%eax, %%dx" ::"a"(0), "d"(0xce0)); } /* a doorbell */
static void priv_cr3(void) { unsigned long v; __asm__ volatile("mov %%cr3, %0" : "=r"(v)); }
static void priv_lgdt(void) { static const uint8_t d[6]; __asm__ volatile("lgdt %0" ::"m"(d)); }
static void priv_wrmsr(void) { __asm__ volatile("wrmsr" ::"c"(0x10), "a"(0), "d"(0)); }

static int priv_test(void) {
  static const struct { const char *name; void (*run)(void); } cases[] = {
      {"cli", priv_cli}, {"sti", priv_sti}, {"hlt", priv_hlt}, {"out 0x21", priv_pic},
      {"out 0xce0", priv_channel}, {"mov cr3", priv_cr3}, {"lgdt", priv_lgdt}, {"wrmsr", priv_wrmsr}};
  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
    const pid_t pid = fork();
    if (pid < 0) return failed("priv", "fork");
    if (pid == 0) {
      cases[i].run();
      _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV) {
      printf("priv %s from user mode was not refused: FAILED\n", cases[i].name);
      return 1;
    }
  }
  printf("priv %u privileged instructions from user mode all SIGSEGV ok\n",
         (unsigned)(sizeof cases / sizeof cases[0]));
  return 0;
}

static double basel(long terms) {
  volatile double sum = 0;
  for (long k = terms; k >= 1; --k) sum += 1.0 / ((double)k * (double)k);
  return sum;
}

static int fpu_test(long seconds) {
  /* Size the work to the machine: count how many terms fit in a tenth of the time. */
  struct timespec t0, t1;
  long terms = 1000000;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  basel(terms);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double took = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  if (took > 0) terms = (long)(terms * (seconds / 2.0) / took);
  if (terms < 1000000) terms = 1000000;
  const double a = basel(terms), b = basel(terms);
  const double pi2_6 = M_PI * M_PI / 6;
  if (a != b) return failed("fpu", "two runs of the same sum differ");
  if (fabs(a - pi2_6) > 2.0 / (double)terms) return failed("fpu", "the sum is not pi^2/6");
  printf("fpu %ld terms sum %.12f ok\n", terms, a);
  return 0;
}

static int syscalls(long n) {
  const uint64_t t0 = rdtsc();
  for (long i = 0; i < n; ++i) getppid();
  printf("syscalls %ld getppid %llu cycles/call ok\n", n, per_op(t0, n));
  return 0;
}

/* Page faults on fresh anonymous pages: each first write allocates and maps a zeroed page. */
static int pagefault_test(long pages) {
  const size_t len = (size_t)pages * 4096;
  unsigned char* p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return failed("pagefault", "mmap failed");
  const uint64_t t0 = rdtsc();
  for (long i = 0; i < pages; ++i) p[(size_t)i * 4096] = (unsigned char)i;
  const unsigned long long cycles = per_op(t0, pages);
  for (long i = 0; i < pages; ++i)
    if (p[(size_t)i * 4096] != (unsigned char)i) return failed("pagefault", "a page lost its byte");
  munmap(p, len);
  printf("pagefault %ld pages %llu cycles/fault ok\n", pages, cycles);
  return 0;
}

/* A fork/pipe/system-call heavy load for `seconds` (the RTOS timing benchmark runs beside it). */
static int load_test(long seconds) {
  struct timespec t0, t;
  long rounds = 0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  do {
    const pid_t pid = fork();
    if (pid == 0) _exit(0);
    if (pid < 0) return failed("load", "fork failed");
    waitpid(pid, 0, 0);
    int fds[2];
    char buf[4096] = {0};
    if (pipe(fds) != 0) return failed("load", "pipe failed");
    for (int i = 0; i < 16; ++i)
      if (write(fds[1], buf, sizeof buf) != (ssize_t)sizeof buf || read(fds[0], buf, sizeof buf) != (ssize_t)sizeof buf)
        return failed("load", "pipe i/o failed");
    close(fds[0]);
    close(fds[1]);
    for (int i = 0; i < 1000; ++i) getppid();
    ++rounds;
    clock_gettime(CLOCK_MONOTONIC, &t);
  } while (t.tv_sec - t0.tv_sec < seconds);
  printf("load %ld s %ld rounds ok\n", seconds, rounds);
  return 0;
}

static int sleep_test(long ms) {
  struct timespec t0, t1, d = {ms / 1000, (ms % 1000) * 1000000L};
  clock_gettime(CLOCK_MONOTONIC, &t0);
  const uint64_t c0 = rdtsc();
  if (nanosleep(&d, 0) != 0) {
    perror("nanosleep");
    return failed("sleep", "nanosleep failed");
  }
  const uint64_t cycles = rdtsc() - c0;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  const long took = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  /* The TSC too: under QEMU -icount it counts virtual time, the clock the RTOS ticks on. */
  printf("sleep %ld ms took %ld ms %llu tsc ok\n", ms, took, (unsigned long long)cycles);
  return 0;
}

int main(int argc, char** argv) {
  setvbuf(stdout, 0, _IONBF, 0);
  if (argc < 2) {
    fprintf(stderr, "usage: gandalf-selftest forkexec N | pipe MIB | signal | fpu SECONDS | syscalls N | "
                    "sleep MS | pagefault PAGES | load SECONDS | forkexit N | piperoundtrip N | ctxsw N\n");
    return 2;
  }
  const long n = argc > 2 ? atol(argv[2]) : 0;
  if (!strcmp(argv[1], "forkexec")) return forkexec(n);
  if (!strcmp(argv[1], "pipe")) return pipe_test(n);
  if (!strcmp(argv[1], "signal")) return signal_test();
  if (!strcmp(argv[1], "priv")) return priv_test();
  if (!strcmp(argv[1], "fpu")) return fpu_test(n);
  if (!strcmp(argv[1], "syscalls")) return syscalls(n);
  if (!strcmp(argv[1], "sleep")) return sleep_test(n);
  if (!strcmp(argv[1], "pagefault")) return pagefault_test(n);
  if (!strcmp(argv[1], "load")) return load_test(n);
  if (!strcmp(argv[1], "forkexit")) return forkexit(n);
  if (!strcmp(argv[1], "piperoundtrip")) return pipe_round_trip(n);
  if (!strcmp(argv[1], "ctxsw")) return context_switch(n, argc > 3 ? atol(argv[3]) : 0);
  if (!strcmp(argv[1], "shc")) return shell_c(n);
  if (!strcmp(argv[1], "mmap")) return mmap_test(n);
  fprintf(stderr, "gandalf-selftest: unknown test '%s'\n", argv[1]);
  return 2;
}
