// The host port's interface to the portable kernel (see target_kernel.h).
#pragma once

#include <stdint.h>

#include <kernel.h>

#include "kernel/port_api.hpp"

namespace itron::port {

extern uint32_t nest;
bool in_handler();
// Handlers run with interrupts off here: never interrupted by another.
inline bool handler_interruptible() { return false; }
inline void handler_cpu_lock() {}
inline void handler_cpu_unlock() {}
void cpu_lock();
void cpu_unlock();
void dispatch();
[[noreturn]] void exit_and_dispatch();
[[noreturn]] void start_dispatch();

}  // namespace itron::port
