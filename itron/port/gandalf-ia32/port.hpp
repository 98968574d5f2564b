// The Gandalf/IA-32 port's interface to the portable kernel.
//
// The kernel runs at ring 1 in its partition's segments. The CPU lock is a flag backed by
// Gandalf's virtual IF (hypercall SET_IF, see entry.S), idling is HALT with atomic enable,
// and the vector table is registered with SET_VECTORS: those three hypercalls are the only
// privileged operations. The virtual 8259/8254 are programmed with in/out, which Gandalf emulates.
#pragma once

#include <stdint.h>

#include <kernel.h>

#include "gandalf/abi.h"
#include "kernel/kernel_impl.hpp"
#include "kernel/port_api.hpp"

extern "C" {
extern uint32_t itron_nest;  // handler nesting level (0 = task context)
// The optimistic CPU lock (entry.S): set by a task-level critical section; an interrupt
// arriving meanwhile is deferred, which leaves the virtual IF off (itron_hard_off = 1).
extern volatile uint32_t itron_soft_lock;
extern volatile uint32_t itron_hard_off;
extern volatile uint32_t itron_deferred;
void itron_unlock_slow();
void itron_dispatch();       // entry.S: switch from the running task to schedtsk
[[noreturn]] void itron_exit_and_dispatch();
[[noreturn]] void itron_start_dispatch();
void itron_task_entry();
// 1 while the current handler runs with the virtual IF on, interruptible by lines of higher
// priority (ASP flavour, port.cpp): its kernel calls then take the CPU lock.
extern uint32_t itron_handler_if;
}

namespace itron::port {

inline bool in_handler() { return itron_nest != 0; }
// TOPPERS/ASP nests handlers by interrupt priority: a handler runs with the mask raised to
// its line's priority and interrupts on. The other flavours run every handler with
// interrupts off (the shortest interrupt path, docs/itron-compat.md).
inline constexpr bool kHandlersNest = kFlavor == Flavor::asp;
// The current handler can be interrupted (only ever in the nesting flavour).
inline bool handler_interruptible() { return kHandlersNest && itron_handler_if != 0; }
// No hypercall on the common path: the lock is a flag (entry.S defers interrupts while
// it is set); unlocking costs a SET_IF(1) only when an interrupt was deferred meanwhile.
inline void cpu_lock() { asm volatile("movl $1, %0" : "=m"(itron_soft_lock)::"memory"); }
inline void cpu_unlock() {
  asm volatile("movl $0, %0" : "=m"(itron_soft_lock)::"memory");
  if (itron_hard_off != 0) itron_unlock_slow();
}
// HandlerLock's: an interruptible handler's critical section, which is not interruptible.
inline void handler_cpu_lock() {
  cpu_lock();
  itron_handler_if = 0;
}
inline void handler_cpu_unlock() {
  itron_handler_if = 1;
  cpu_unlock();
}
inline void dispatch() { itron_dispatch(); }
[[noreturn]] inline void exit_and_dispatch() { itron_exit_and_dispatch(); }
[[noreturn]] inline void start_dispatch() { itron_start_dispatch(); }

}  // namespace itron::port
