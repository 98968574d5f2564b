/* Gandalf/IA-32 port: kernel entry, dispatcher, interrupt and CPU exception entries.
 *
 * Gandalf starts the image at itron_entry with ESP = header.stack_top, EBX = offset of
 * the boot information, virtual interrupts off. Interrupts and exceptions arrive like a
 * same-privilege gate: EFLAGS, CS, EIP [, error code] pushed on the current stack, with
 * the virtual IF cleared. iret does not restore the virtual IF, so the exits call
 * SET_IF(1) themselves when the interrupted context had it on (docs/abi.md).
 *
 * The CPU lock is optimistic (port.hpp): a task-level critical section only sets
 * itron_soft_lock. An interrupt that arrives meanwhile is not handled: its entry notes it
 * in itron_deferred and returns at once, leaving the virtual IF off (itron_hard_off
 * mirrors it), and the unlock runs the deferred handlers as if the interrupt had arrived
 * there. So a service call costs no hypercall unless an interrupt came during it.
 *
 * Offsets the C++ side asserts (port.cpp): KernelState.runtsk 0, .schedtsk 4;
 * TaskCB.sp 8. */
#define RUNTSK itron_kernel_state
#define SCHEDTSK itron_kernel_state+4
#define TCB_SP 8
#define HC_SET_IF 1
#define HC_HALT 2
#define IF_BIT 0x200
#define DEFERRED_IRQS 0xff              /* pseudo IRQ number: run every deferred IRQ */

    .section .text.start, "ax"
    .global itron_entry
itron_entry:
    cld
    mov %ebx, itron_boot_info_offset
    movl $1, itron_nest             /* non-task context until the first dispatch */
    call itron_sta_ker
1:  jmp 1b

    .text
/* void itron_dispatch(void): task context, CPU locked. Saves the running task's
 * callee-saved registers and stack, then runs schedtsk (or idles). Returns when the
 * calling task is dispatched again, CPU still locked. */
    .global itron_dispatch
    .align 16
itron_dispatch:
    push %ebp
    push %ebx
    push %esi
    push %edi
    mov RUNTSK, %eax
    mov %esp, TCB_SP(%eax)
dispatcher:
    mov SCHEDTSK, %eax
    test %eax, %eax
    jz idle
    mov %eax, RUNTSK
    mov TCB_SP(%eax), %esp
    pop %edi
    pop %esi
    pop %ebx
    pop %ebp
    ret

/* No task to run: give the CPU back to Gandalf (HALT with atomic enable) until an
 * interrupt makes one runnable. Runs on its own small stack, with the real virtual IF off
 * whenever it looks at the kernel's state. */
idle:
    movl $0, RUNTSK
    mov $itron_idle_stack_top, %esp
1:  mov $HC_SET_IF, %eax
    xor %ebx, %ebx
    int $0x82
    movl $1, itron_hard_off
    movl $0, itron_soft_lock
    cmpl $0, itron_deferred         /* deferred while the dispatcher held the lock */
    je 2f
    call itron_run_deferred_off
2:  cmpl $0, SCHEDTSK
    jne 3f
    movl $0, itron_hard_off         /* HALT turns the virtual IF on */
    mov $HC_HALT, %eax
    mov $1, %ebx                    /* GANDALF_HALT_ENABLE */
    int $0x82                       /* an interrupt is handled here */
    jmp 1b
3:  movl $1, itron_soft_lock        /* the dispatcher's convention: CPU locked */
    jmp dispatcher

/* ext_tsk: the running task is DORMANT. Leave its stack before a queued activation
 * re-initialises it (itron_restart_exited), then dispatch. */
    .global itron_exit_and_dispatch
itron_exit_and_dispatch:
    mov $itron_idle_stack_top, %esp
    call itron_restart_exited
    jmp dispatcher

    .global itron_start_dispatch
itron_start_dispatch:
    mov $itron_idle_stack_top, %esp
    movl $0, itron_nest
    jmp dispatcher

/* First code of every task (the dispatcher "returns" here): C++ does the rest. */
    .global itron_task_entry
itron_task_entry:
    call itron_task_start
1:  jmp 1b

/* ---- Interrupts: vectors 0x20..0x2f = virtual IRQ 0..15 ------------------------------ */
    .macro IRQ n
    .global itron_irq_\n
    .align 8
itron_irq_\n:
    push $\n
    jmp irq_common
    .endm
    IRQ 0
    IRQ 1
    IRQ 2
    IRQ 3
    IRQ 4
    IRQ 5
    IRQ 6
    IRQ 7
    IRQ 8
    IRQ 9
    IRQ 10
    IRQ 11
    IRQ 12
    IRQ 13
    IRQ 14
    IRQ 15

/* Frame: edx 0, ecx 4, eax 8, irq 12, eip 16, cs 20, eflags 24.
 *
 * An interrupt that arrives exactly at the exit's SET_IF(1) (Gandalf delivers it before the
 * instruction after the int) would nest one frame deeper each time under a steady stream
 * of interrupts. Instead it takes over the frame of the exit it interrupted, which still
 * holds everything: the stack never grows by more than one frame per nesting level. */
irq_common:
    movl $1, itron_hard_off         /* the delivery turned the virtual IF off */
    cmpl $irq_setif_done, 4(%esp)
    je irq_fold
    cmpl $0, itron_soft_lock
    jne irq_defer
irq_save:
    push %eax
    push %ecx
    push %edx
irq_handle:
    cld
    mov %esp, %eax
    incl itron_nest
    cmpl $1, itron_nest
    jne 1f
    /* First level: the interrupt stack, 16-byte aligned at the call below. */
    mov $itron_int_stack_top - 8, %esp
1:  push %eax
    push 12(%eax)
    call itron_irq
    add $4, %esp
    pop %esp
    decl itron_nest
    jnz 2f
    mov 24(%esp), %eax
    and $IF_BIT, %eax
    push %eax
    call itron_exit_handler         /* may dispatch: this task resumes here later */
    add $4, %esp
2:  testl $IF_BIT, 24(%esp)
    jz 3f
irq_exit_unlocked:
    /* Back to a context without the CPU lock: interrupts deferred meanwhile (by a task
     * this exit dispatched to) are handled first, in this same frame. */
    movl $0, itron_soft_lock
    cmpl $0, itron_deferred
    jne 4f
    movl $0, itron_hard_off
    push %ebx
    mov $HC_SET_IF, %eax
    mov $1, %ebx
    int $0x82
irq_setif_done:
    pop %ebx
3:  pop %edx
    pop %ecx
    pop %eax
    add $4, %esp
    iret
4:  movl $DEFERRED_IRQS, 12(%esp)
    jmp irq_handle

/* An interrupt at an exit's SET_IF(1) takes over that exit's frame (see above). */
irq_fold:
    mov (%esp), %eax                /* this interrupt's number */
    mov 16(%esp), %ebx              /* the EBX the interrupted exit saved */
    add $20, %esp                   /* drop irq, eip, cs, eflags, saved ebx */
    mov %eax, 12(%esp)              /* the exit's frame now stands for this interrupt */
    incl itron_irq_folded
    jmp irq_handle

/* An interrupt inside a critical section: note it, return with the virtual IF off. */
irq_defer:
    push %eax
    mov 4(%esp), %eax
    bts %eax, itron_deferred
    pop %eax
    add $4, %esp
    incl itron_irq_deferred_count
    iret

/* void itron_run_deferred(void): the deferred interrupts, as if they arrived now. Called
 * with the virtual IF off (hard_off) and no CPU lock; returns with the virtual IF on.
 * itron_run_deferred_off: the same for the idle loop, returning with it still off. */
    .global itron_run_deferred, itron_run_deferred_off
itron_run_deferred:
    pushfl
    orl $IF_BIT, (%esp)
    jmp 1f
itron_run_deferred_off:
    pushfl
    andl $~IF_BIT, (%esp)
1:  push %cs
    push $2f
    push $DEFERRED_IRQS
    jmp irq_save
2:  ret

/* void itron_unlock_slow(void): cpu_unlock found the virtual IF off. */
    .global itron_unlock_slow
itron_unlock_slow:
    cmpl $0, itron_sil_locked       /* SIL_LOC_INT holds the virtual IF off: its */
    jne 1f                          /* SIL_UNL_INT turns it on (port.cpp) */
    cmpl $0, itron_deferred
    jne itron_run_deferred
    movl $0, itron_hard_off
    push %ebx
    mov $HC_SET_IF, %eax
    mov $1, %ebx
    int $0x82
    pop %ebx
1:  ret

/* ---- CPU exceptions: T_EXCINF on the stack (target_kernel.h) --------------------------- */
    .macro EXC n, err
    .global itron_exc_\n
    .align 8
itron_exc_\n:
    .if \err == 0
    push $0
    .endif
    push $\n
    jmp exc_common
    .endm
    EXC 0, 0
    EXC 1, 0
    EXC 3, 0
    EXC 4, 0
    EXC 5, 0
    EXC 6, 0
    EXC 7, 0
    EXC 8, 1
    EXC 9, 0
    EXC 10, 1
    EXC 11, 1
    EXC 12, 1
    EXC 13, 1
    EXC 14, 1
    EXC 16, 0
    EXC 17, 1
    EXC 18, 0
    EXC 19, 0

/* Frame: nest 0, pusha 4..35, excno 36, errcode 40, eip 44, cs 48, eflags 52. */
exc_common:
    movl $1, itron_hard_off         /* the delivery turned the virtual IF off */
    pusha
    push itron_nest
    cld
    mov %esp, %eax
    incl itron_nest
    cmpl $1, itron_nest
    jne 1f
    mov $itron_int_stack_top - 8, %esp
1:  push %eax
    push %eax
    call itron_exception
    add $4, %esp
    pop %esp
    decl itron_nest
    jnz 2f
    /* The interrupted context could dispatch if it had interrupts on and no CPU lock. */
    mov 52(%esp), %eax
    and $IF_BIT, %eax
    cmpl $0, itron_soft_lock
    je 1f
    xor %eax, %eax
1:  push %eax
    call itron_exit_handler
    add $4, %esp
2:  testl $IF_BIT, 52(%esp)
    jz 3f
    cmpl $0, itron_soft_lock        /* a locked section: deferral protects it */
    jne 4f
    /* Back to a context without the CPU lock: leave through the interrupt exit, whose
     * SET_IF(1) handles deferred interrupts and folds one arriving there. Its frame is
     * edx, ecx, eax, irq, eip, cs, eflags: two words more than excno, errcode. */
    add $4, %esp
    popa
    sub $8, %esp
    mov %edx, 0(%esp)
    mov %ecx, 4(%esp)
    mov %eax, 8(%esp)
    jmp irq_exit_unlocked
4:  movl $0, itron_hard_off
    mov $HC_SET_IF, %eax            /* popa restores eax and ebx */
    mov $1, %ebx
    int $0x82
3:  add $4, %esp
    popa
    add $8, %esp
    iret

    .data
    .align 4
    .global itron_soft_lock, itron_hard_off, itron_deferred, itron_irq_deferred_count
itron_soft_lock: .long 1                /* the kernel starts locked... */
itron_hard_off: .long 1                 /* ...with the virtual IF off */
itron_deferred: .long 0                 /* bit n: IRQ n arrived in a critical section */
itron_irq_deferred_count: .long 0

    .bss
    .align 16
    .global itron_int_stack_top, itron_idle_stack_top
#if defined(ITRON_FLAVOR_ASP)
    .space 16384                        /* handlers nest by priority (port.cpp) */
#else
    .space 8192
#endif
itron_int_stack_top:
    .space 1024
itron_idle_stack_top:
