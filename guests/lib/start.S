/* Guest entry and interrupt trampolines. Gandalf starts us with ESP = header.stack_top and
 * EBX = offset of the boot information. Interrupt frames are the hardware's own
 * (EFLAGS, CS, EIP [, error]); handlers return with iret. */
    .section .text.start, "ax"
    .global guest_entry
guest_entry:
    cld
    push %ebx
    call guest_main
1:  jmp 1b

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
