/* gandalf-ctl: the Linux side of the channel demo (docs/channel.md). sample2 on rtos1
 * publishes its control loop's state on channel "ctl" every 10 ms and applies set points it
 * receives there, acknowledging each at once (itron/apps/sample2, ctl_msg.h).
 *
 *   gandalf-ctl watch N     print N state records
 *   gandalf-ctl demo N      send N set points, each after the previous one's ack; print the
 *                           round trip of each (write -> ack read) and a summary line
 *   gandalf-ctl flood MS    ring the doorbell and write set points as fast as possible for MS
 *                           milliseconds (Gandalf's rate limit must keep rtos1 on time)
 *   gandalf-ctl long        write a message longer than a record (must be refused)
 *   gandalf-ctl odd         write a 60-byte message, which fits a record but is no ctl_msg
 *                           (sample2 must drop it and go on)
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "ctl_msg.h"

#define DEVICE "/dev/gandalf-ctl"
#define IOC_RING _IO('G', 1)

static int64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int open_device(int flags) {
  const int fd = open(DEVICE, O_RDWR | flags);
  if (fd < 0) {
    fprintf(stderr, "gandalf-ctl: %s: %s\n", DEVICE, strerror(errno));
    exit(1);
  }
  return fd;
}

/* The next message, waiting at most timeout_ms; 0 on success. */
static int next(int fd, struct ctl_msg *m, int timeout_ms) {
  struct pollfd p = {fd, POLLIN, 0};
  for (;;) {
    const ssize_t n = read(fd, m, sizeof *m);
    if (n == (ssize_t)sizeof *m) return 0;
    if (n >= 0) {
      fprintf(stderr, "gandalf-ctl: a %zd-byte message, not a ctl_msg\n", n);
      continue;
    }
    if (errno != EAGAIN) {
      fprintf(stderr, "gandalf-ctl: read: %s\n", strerror(errno));
      return -1;
    }
    if (poll(&p, 1, timeout_ms) <= 0) return -1;
  }
}

static void print_state(const struct ctl_msg *m) {
  printf("ctl: state cycle=%u setpoint=%d output=%d jitter=%uus t=%ums\n", m->seq, m->setpoint, m->output,
         m->jitter_us, m->time_ms);
}

static int watch(int n) {
  const int fd = open_device(O_NONBLOCK);
  struct ctl_msg m;
  for (int i = 0; i < n;) {
    if (next(fd, &m, 1000) != 0) return fprintf(stderr, "gandalf-ctl: no state from rtos1 for 1 s\n"), 1;
    if (m.type == CTL_STATE) print_state(&m), ++i;
  }
  return 0;
}

static int demo(int n) {
  const int fd = open_device(O_NONBLOCK);
  int64_t min = INT64_MAX, max = 0, sum = 0;
  for (int i = 1; i <= n; ++i) {
    const struct ctl_msg sp = {CTL_SETPOINT, (uint32_t)i, 1000 + 100 * i, 0, 0, 0};
    struct ctl_msg m;
    while (read(fd, &m, sizeof m) > 0) {}  /* what came before this round trip */
    const int64_t t0 = now_us();
    if (write(fd, &sp, sizeof sp) != (ssize_t)sizeof sp) return fprintf(stderr, "gandalf-ctl: write: %s\n", strerror(errno)), 1;
    do {  /* states and older acks may come first: 2 s for the ack in all */
      if (next(fd, &m, 1000) != 0 || now_us() - t0 > 2000000)
        return fprintf(stderr, "gandalf-ctl: no ack of set point %d for 2 s\n", i), 1;
    } while (m.type != CTL_ACK || m.seq != (uint32_t)i);
    const int64_t rtt = now_us() - t0;
    if (rtt < min) min = rtt;
    if (rtt > max) max = rtt;
    sum += rtt;
    printf("ctl: ack seq=%u setpoint=%d rtt=%lld us\n", m.seq, m.setpoint, (long long)rtt);
    do {  /* the loop's next state carries the new set point */
      if (next(fd, &m, 1000) != 0 || now_us() - t0 > 3000000)
        return fprintf(stderr, "gandalf-ctl: no state after set point %d\n", i), 1;
    } while (m.type != CTL_STATE);
    print_state(&m);
  }
  printf("ctl: rtt n=%d min=%lld avg=%lld max=%lld us\n", n, (long long)min, (long long)(sum / n), (long long)max);
  return 0;
}

static int flood(int ms) {
  const int fd = open_device(O_NONBLOCK);
  const struct ctl_msg sp = {CTL_SETPOINT, 0, 1000, 0, 0, 0};
  long rings = 0, written = 0, full = 0;
  const int64_t end = now_us() + (int64_t)ms * 1000;
  while (now_us() < end) {
    if (ioctl(fd, IOC_RING) == 0) ++rings;
    if (write(fd, &sp, sizeof sp) == (ssize_t)sizeof sp) ++written;
    else if (errno == EAGAIN) ++full;
  }
  printf("ctl: flood %d ms: %ld rings, %ld records written, %ld refused (ring full)\n", ms, rings, written, full);
  return 0;
}

static int too_long(void) {
  const int fd = open_device(O_NONBLOCK);
  char big[512];
  memset(big, 'x', sizeof big);
  const ssize_t n = write(fd, big, sizeof big);
  if (n >= 0) return printf("ctl: a %zu-byte message was accepted\n", sizeof big), 1;
  printf("ctl: a %zu-byte message refused: %s\n", sizeof big, strerror(errno));
  return errno == EMSGSIZE ? 0 : 1;
}

static int odd(void) {
  const int fd = open_device(O_NONBLOCK);
  char junk[60];
  memset(junk, 'x', sizeof junk);
  if (write(fd, junk, sizeof junk) != (ssize_t)sizeof junk) return fprintf(stderr, "gandalf-ctl: write: %s\n", strerror(errno)), 1;
  if (ioctl(fd, IOC_RING) != 0) return fprintf(stderr, "gandalf-ctl: ring: %s\n", strerror(errno)), 1;
  printf("ctl: a %zu-byte message that is no ctl_msg was sent\n", sizeof junk);
  return 0;
}

int main(int argc, char **argv) {
  const int n = argc > 2 ? atoi(argv[2]) : 10;
  if (argc > 1 && strcmp(argv[1], "watch") == 0) return watch(n);
  if (argc > 1 && strcmp(argv[1], "demo") == 0) return demo(n);
  if (argc > 1 && strcmp(argv[1], "flood") == 0) return flood(n);
  if (argc > 1 && strcmp(argv[1], "long") == 0) return too_long();
  if (argc > 1 && strcmp(argv[1], "odd") == 0) return odd();
  fprintf(stderr, "usage: gandalf-ctl watch N | demo N | flood MS | long | odd\n");
  return 2;
}
