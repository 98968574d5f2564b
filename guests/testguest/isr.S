/* The test guest's interrupt and exception entries (main.cpp). Interrupt frames are the
 * hardware's own (EFLAGS, CS, EIP [, error]); handlers return with iret. */
    .section .text
    /* ISR trampolines: save the caller-saved registers, call C++, iret. */
    .macro ISR name, func
    .global \name
    .align 8
\name:
    push %eax
    push %ecx
    push %edx
    cld
    call \func
    pop %edx
    pop %ecx
    pop %eax
    iret
    .endm

    ISR isr_tick, on_tick
    ISR isr_console, on_console

    /* #DE handler used by the reflection test: skips the 2-byte `div %ecx`. */
    .global isr_divide
    .align 8
isr_divide:
    push %eax
    push %ecx
    push %edx
    call on_divide
    pop %edx
    pop %ecx
    pop %eax
    addl $2, (%esp)
    iret

    /* Probe handlers: record the vector and error code of a fault that the guest provokes on
     * purpose, then skip `probe_skip` bytes (the probing instruction's length). */
    .macro PROBE_ISR vec, has_error
    .global isr_probe_\vec
    .align 8
isr_probe_\vec:
    .if \has_error
    popl probe_error
    .else
    movl $0, probe_error
    .endif
    movl $\vec, probe_vector
    push %eax
    mov probe_skip, %eax
    add %eax, 4(%esp)
    pop %eax
    iret
    .endm

    PROBE_ISR 6, 0
    PROBE_ISR 10, 1
    PROBE_ISR 11, 1
    PROBE_ISR 12, 1
    PROBE_ISR 13, 1
