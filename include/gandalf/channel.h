/* Gandalf channels: a shared region between a μITRON instance and Linux, with a doorbell
 * each way (docs/channel.md is the prose version; this header is normative).
 *
 * One header for the three users: the μITRON API (itron/syssvc/channel.c), the Linux driver
 * (linux/drivers/gandalf-channel.c, built in the kernel's tree) and the host fuzzer. The
 * record functions below are the channel's only parser: each end reads what the other end
 * wrote through them, and never trusts a word of it.
 *
 * The region is split in two halves. Each end writes only its own half (Gandalf maps the
 * other one read-only to Linux) and reads the peer's:
 *
 *   half = [struct gandalf_channel_half (64 bytes)][record 0][record 1]...[record cap-1]
 *   record = [uint32_t length][length bytes of message][unused up to record_size]
 *
 * A half's header holds the ring its writer fills (head) and how far its writer has read
 * the peer's ring (peer_tail), so that no word is written by both ends. Counters run freely
 * (mod 2^32); the number of records in flight is head - tail. A generation number, bumped
 * every time an end (re)attaches, tells the peer to start reading that ring from 0.
 * Doorbells are rung only when the peer says it waits (wants_data, wants_room): an end that
 * reads when it likes costs its peer no interrupts.
 *
 * Doorbells and discovery are I/O ports that trap into Gandalf (no hypercall):
 *   out GANDALF_CHANNEL_DOORBELL, n   ring the other end of this partition's channel n
 *                                     (a virtual interrupt on its doorbell line, rate
 *                                     limited by Gandalf as the configuration says)
 *   out GANDALF_CHANNEL_SELECT, (n << 8) | field   (32-bit) select a field of channel n
 *   in  GANDALF_CHANNEL_SELECT                     (32-bit) read it; 0xffffffff: none
 * Channel numbers count the channels the calling partition is an end of, from 0.
 */
#ifndef GANDALF_CHANNEL_H
#define GANDALF_CHANNEL_H

#if defined(__KERNEL__)
#include <linux/types.h>
#elif defined(__cplusplus)
#include <cstdint>
#else
#include <stdint.h>
#endif

#define GANDALF_CHANNEL_PORT 0x0ce0u                          /* 8 ports, 0x0ce0-0x0ce7 */
#define GANDALF_CHANNEL_DOORBELL (GANDALF_CHANNEL_PORT + 0u) /* out, any width */
#define GANDALF_CHANNEL_SELECT (GANDALF_CHANNEL_PORT + 4u)   /* out/in, 32 bits */

/* Fields of GANDALF_CHANNEL_SELECT. */
#define GANDALF_CHF_COUNT 0u       /* channels this partition is an end of (n ignored) */
#define GANDALF_CHF_ADDRESS 1u     /* the region: a segment offset (RTOS), physical (Linux) */
#define GANDALF_CHF_SIZE 2u        /* bytes, both halves */
#define GANDALF_CHF_RECORD 3u      /* record_size: bytes per record, its length word included */
#define GANDALF_CHF_IRQ 4u         /* this end's doorbell line on its virtual 8259 */
#define GANDALF_CHF_HALF 5u        /* 0: this end writes the first half, 1: the second */
#define GANDALF_CHF_INTERVAL_US 6u /* this end's rings reach the peer at most this often */
#define GANDALF_CHF_NAME 8u        /* 8..11: the name, 4 bytes per field, little-endian */
#define GANDALF_CHF_NONE 0xffffffffu

#define GANDALF_CHANNEL_MAGIC 0x48434e47u /* "GNCH" */
#define GANDALF_CHANNEL_HEADER 64u
#define GANDALF_CHANNEL_MIN_RECORD 8u
#define GANDALF_CHANNEL_MAX_RECORD 4096u

struct gandalf_channel_half {
  uint32_t magic;           /* GANDALF_CHANNEL_MAGIC once its writer attached */
  uint32_t generation;      /* bumped by its writer at every attach */
  uint32_t head;            /* records its writer put into this half's ring */
  uint32_t peer_tail;       /* records its writer took from the peer's ring */
  uint32_t peer_generation; /* the peer's generation peer_tail counts in */
  uint32_t wants_room;      /* nonzero: its writer waits for room, ring it after reading */
  uint32_t wants_data;      /* nonzero: its writer waits for the peer's records, ring it */
  uint32_t reserved[9];
};

/* Results (negative) of the record functions. */
#define GANDALF_CH_TOO_LONG (-1) /* the message does not fit a record, or the buffer the record */
#define GANDALF_CH_FULL (-2)     /* no free record in this end's ring */
#define GANDALF_CH_EMPTY (-3)    /* nothing to read (or the peer never attached) */
#define GANDALF_CH_BAD (-4)      /* the peer wrote a malformed record or counter: skipped */

/* One end's view: its own half, the peer's half, and their shape. */
struct gandalf_channel_end {
  volatile struct gandalf_channel_half *mine;
  const volatile struct gandalf_channel_half *peer;
  uint32_t record_size;
  uint32_t capacity; /* records per ring */
};

#ifdef __cplusplus
static_assert(sizeof(gandalf_channel_half) == GANDALF_CHANNEL_HEADER, "channel: a half's header is 64 bytes");
#define GANDALF_CH_INLINE inline
#else
#define GANDALF_CH_INLINE static inline
#endif

#define GANDALF_CH_BARRIER() __asm__ volatile("" ::: "memory") /* one CPU: order for the compiler */

/* The records of a ring that fit a half of `half_bytes`, 0 if the shape is unusable. */
GANDALF_CH_INLINE uint32_t gandalf_channel_capacity(uint32_t half_bytes, uint32_t record_size) {
  if (record_size < GANDALF_CHANNEL_MIN_RECORD || record_size > GANDALF_CHANNEL_MAX_RECORD || (record_size & 3u) != 0 ||
      half_bytes <= GANDALF_CHANNEL_HEADER)
    return 0;
  return (half_bytes - GANDALF_CHANNEL_HEADER) / record_size;
}

/* The address of record n of the ring behind half h (4-byte aligned: the region is
 * page-aligned, the header 64 bytes, records a multiple of 4). Addresses are computed as
 * integers so that no byte pointer is cast to a wider type. */
GANDALF_CH_INLINE uintptr_t gandalf_channel_slot(volatile const struct gandalf_channel_half *h,
                                                 const struct gandalf_channel_end *e, uint32_t n) {
  return (uintptr_t)h + GANDALF_CHANNEL_HEADER + (n % e->capacity) * e->record_size;
}

/* Sets up `e` for a region at `base` of `size` bytes; `second` when this end writes the second
 * half. Starts a new generation of this end's ring and reads the peer's from where it is now
 * (what the peer wrote to this end's previous life is dropped). Returns 0 or GANDALF_CH_BAD
 * when the shape is unusable. */
GANDALF_CH_INLINE int gandalf_channel_attach(struct gandalf_channel_end *e, volatile void *base, uint32_t size,
                                             uint32_t record_size, int second) {
  const uint32_t half = size / 2u;
  const uintptr_t first = (uintptr_t)base;
  volatile struct gandalf_channel_half *mine;
  const volatile struct gandalf_channel_half *peer;
  uint32_t generation;
  e->capacity = gandalf_channel_capacity(half, record_size);
  e->record_size = record_size;
  if (e->capacity == 0) return GANDALF_CH_BAD;
  mine = (volatile struct gandalf_channel_half *)(first + (second ? half : 0u));
  peer = (const volatile struct gandalf_channel_half *)(first + (second ? 0u : half));
  e->mine = mine;
  e->peer = peer;
  generation = mine->magic == GANDALF_CHANNEL_MAGIC ? mine->generation + 1u : 1u;
  mine->magic = 0;
  GANDALF_CH_BARRIER();
  mine->generation = generation;
  mine->head = 0;
  mine->wants_room = 0;
  mine->wants_data = 0;
  mine->peer_generation = peer->generation;
  mine->peer_tail = peer->head;
  GANDALF_CH_BARRIER();
  mine->magic = GANDALF_CHANNEL_MAGIC;
  return 0;
}

/* Records of this end's ring the peer has not read yet (capacity when the peer's counter is
 * impossible: then this end stops writing rather than overwrite what the peer may read). */
GANDALF_CH_INLINE uint32_t gandalf_channel_in_flight(const struct gandalf_channel_end *e) {
  const uint32_t head = e->mine->head;
  uint32_t read = 0, n;
  if (e->peer->magic == GANDALF_CHANNEL_MAGIC && e->peer->peer_generation == e->mine->generation)
    read = e->peer->peer_tail;
  n = head - read;
  return n > e->capacity ? e->capacity : n;
}

/* Puts one message of `len` bytes into this end's ring. 0, GANDALF_CH_TOO_LONG or
 * GANDALF_CH_FULL. The caller rings the doorbell when it wants the peer woken. */
GANDALF_CH_INLINE int gandalf_channel_send(struct gandalf_channel_end *e, const void *data, uint32_t len) {
  const uint8_t *from = (const uint8_t *)data;
  uintptr_t slot;
  volatile uint8_t *bytes;
  uint32_t i;
  if (len > e->record_size - 4u) return GANDALF_CH_TOO_LONG;
  if (gandalf_channel_in_flight(e) >= e->capacity) return GANDALF_CH_FULL;
  slot = gandalf_channel_slot(e->mine, e, e->mine->head);
  *(volatile uint32_t *)slot = len;
  bytes = (volatile uint8_t *)(slot + 4u);
  for (i = 0; i < len; ++i) bytes[i] = from[i];
  GANDALF_CH_BARRIER();
  e->mine->head = e->mine->head + 1u;
  return 0;
}

/* Takes the oldest message of the peer's ring into `buf` (`size` bytes). Returns its length,
 * GANDALF_CH_EMPTY, GANDALF_CH_TOO_LONG (the record stays, `size` too small) or
 * GANDALF_CH_BAD (a length beyond the record, or a counter beyond the ring: skipped). */
GANDALF_CH_INLINE int gandalf_channel_receive(struct gandalf_channel_end *e, void *buf, uint32_t size) {
  volatile struct gandalf_channel_half *mine = e->mine;
  const volatile struct gandalf_channel_half *peer = e->peer;
  uint8_t *to = (uint8_t *)buf;
  uint32_t generation, head, len, i;
  uintptr_t slot;
  const volatile uint8_t *bytes;
  if (peer->magic != GANDALF_CHANNEL_MAGIC) return GANDALF_CH_EMPTY;
  generation = peer->generation;
  if (mine->peer_generation != generation) { /* the peer re-attached: its ring starts at 0 */
    mine->peer_generation = generation;
    mine->peer_tail = 0;
  }
  GANDALF_CH_BARRIER();
  head = peer->head;
  if (head == mine->peer_tail) return GANDALF_CH_EMPTY;
  if (head - mine->peer_tail > e->capacity) { /* impossible: resynchronise, lose nothing of ours */
    mine->peer_tail = head;
    return GANDALF_CH_BAD;
  }
  GANDALF_CH_BARRIER();
  slot = gandalf_channel_slot(peer, e, mine->peer_tail);
  len = *(const volatile uint32_t *)slot; /* read once: the peer may change it meanwhile */
  bytes = (const volatile uint8_t *)(slot + 4u);
  if (len > e->record_size - 4u) {
    mine->peer_tail = mine->peer_tail + 1u;
    return GANDALF_CH_BAD;
  }
  if (len > size) return GANDALF_CH_TOO_LONG;
  for (i = 0; i < len; ++i) to[i] = bytes[i];
  GANDALF_CH_BARRIER();
  mine->peer_tail = mine->peer_tail + 1u;
  return (int)len;
}

/* Drops the oldest message of the peer's ring unread (one the reader cannot use: too long
 * for any buffer it has). 0, or GANDALF_CH_EMPTY. */
GANDALF_CH_INLINE int gandalf_channel_skip(struct gandalf_channel_end *e) {
  uint8_t none;
  const int r = gandalf_channel_receive(e, &none, 0);
  if (r != GANDALF_CH_TOO_LONG) return r == GANDALF_CH_EMPTY ? GANDALF_CH_EMPTY : 0;
  e->mine->peer_tail = e->mine->peer_tail + 1u;
  return 0;
}

/* Something to read: a record, or a peer that re-attached with records. */
GANDALF_CH_INLINE int gandalf_channel_readable(const struct gandalf_channel_end *e) {
  if (e->peer->magic != GANDALF_CHANNEL_MAGIC) return 0;
  if (e->mine->peer_generation != e->peer->generation) return e->peer->head != 0;
  return e->peer->head != e->mine->peer_tail;
}

/* The peer said it waits for room in its ring, which this end just read from. */
GANDALF_CH_INLINE int gandalf_channel_peer_waits(const struct gandalf_channel_end *e) {
  return e->peer->magic == GANDALF_CHANNEL_MAGIC && e->peer->wants_room != 0;
}

/* The peer said it waits for records: ring it after sending. */
GANDALF_CH_INLINE int gandalf_channel_peer_wants_data(const struct gandalf_channel_end *e) {
  return e->peer->magic == GANDALF_CHANNEL_MAGIC && e->peer->wants_data != 0;
}

#endif /* GANDALF_CHANNEL_H */
