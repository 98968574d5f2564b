// Time events: a binary min-heap ordered by (tick, sequence). Insertion and removal are
// O(log n); the tick handler pops only due events. The heap has one slot per task,
// cyclic handler and alarm handler, the most that can be armed at once.
#include "core.hpp"

namespace itron {

namespace {

TimeEvent** heap() { return itron_config.tmevt_heap; }  // 1-based

bool before(const TimeEvent* a, const TimeEvent* b) {
  return a->at < b->at || (a->at == b->at && static_cast<int32_t>(a->seq - b->seq) < 0);
}

void place(uint_t i, TimeEvent* ev) {
  heap()[i] = ev;
  ev->index = i;
}

void sift_up(uint_t i, TimeEvent* ev) {
  while (i > 1 && before(ev, heap()[i / 2])) {
    place(i, heap()[i / 2]);
    i /= 2;
  }
  place(i, ev);
}

void sift_down(uint_t i, TimeEvent* ev) {
  for (;;) {
    uint_t child = 2 * i;
    if (child > k.tmevt_count) break;
    if (child < k.tmevt_count && before(heap()[child + 1], heap()[child])) ++child;
    if (!before(heap()[child], ev)) break;
    place(i, heap()[child]);
    i = child;
  }
  place(i, ev);
}

}  // namespace

void init_time_events() {
  k.tick = 0;
  k.time_offset = 0;
  k.tmevt_seq = 0;
  k.tmevt_count = 0;
}

void tmevt_enqueue_at(TimeEvent* ev, uint64_t at) {
  ev->at = at;
  ev->seq = k.tmevt_seq++;
  sift_up(++k.tmevt_count, ev);
}

void tmevt_enqueue_after(TimeEvent* ev, RELTIM delay) {
  // The current tick is partly over: waiting `delay` whole ticks needs delay + 1 boundaries.
  tmevt_enqueue_at(ev, k.tick + delay + 1);
}

void tmevt_dequeue(TimeEvent* ev) {
  const uint_t i = ev->index;
  ev->index = 0;
  TimeEvent* last = heap()[k.tmevt_count--];
  if (last == ev) return;
  if (i > 1 && before(last, heap()[i / 2])) {
    sift_up(i, last);
  } else {
    sift_down(i, last);
  }
}

RELTIM tmevt_left(const TimeEvent* ev) {
  return ev->at > k.tick + 1 ? static_cast<RELTIM>(ev->at - k.tick - 1) : 0;
}

void signal_time() {
  // isig_tim from a handler this loop called (a cyclic or alarm handler) only adds a tick
  // for the loop to process: no recursion, whatever the handlers do.
  static bool in_progress;
  static uint_t pending;
  if (in_progress) {
    ++pending;
    return;
  }
  in_progress = true;
  for (uint_t ticks = 1; ticks > 0; --ticks) {
    ++k.tick;
    while (k.tmevt_count > 0 && heap()[1]->at <= k.tick) {
      TimeEvent* ev = heap()[1];
      tmevt_dequeue(ev);
      ev->fire(ev);
    }
    ticks += pending;
    pending = 0;
  }
  in_progress = false;
}

}  // namespace itron
