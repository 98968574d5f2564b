/* Gandalf/IA-32 port: kernel entry, dispatcher, interrupt and CPU exception entries.
 *
 * Gandalf starts the image at itron_entry with ESP = header.stack_top, EBX = offset of
 * the boot information, virtual interrupts off. Interrupts and exceptions arrive like a
 * same-privilege gate: EFLAGS, CS, EIP [, error code] pushed on the current stack, with
 * the virtual IF cleared. iret does not restore the virtual IF, so the exits call
 * SET_IF(1) themselves when the interrupted context had it on (docs/abi.md).
 *
 * Offsets the C++ side asserts (port.cpp): KernelState.runtsk 0, .schedtsk 4;
 * TaskCB.sp 8. */
#define RUNTSK itron_kernel_state
#define SCHEDTSK itron_kernel_state+4
#define TCB_SP 8
#define HC_SET_IF 1
#define HC_HALT 2
#define IF_BIT 0x200

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
 * interrupt makes one runnable. Runs on its own small stack. */
idle:
    movl $0, RUNTSK
    mov $itron_idle_stack_top, %esp
1:  mov $HC_HALT, %eax
    mov $1, %ebx                    /* GANDALF_HALT_ENABLE */
    int $0x82                       /* an interrupt is handled here, vIF on after it */
    mov $HC_SET_IF, %eax
    xor %ebx, %ebx
    int $0x82                       /* lock again before looking at schedtsk */
    cmpl $0, SCHEDTSK
    je 1b
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
    cmpl $irq_setif_done, 4(%esp)
    jne 0f
    mov (%esp), %eax                /* this interrupt's number */
    mov 16(%esp), %ebx              /* the EBX the interrupted exit saved */
    add $20, %esp                   /* drop irq, eip, cs, eflags, saved ebx */
    mov %eax, 12(%esp)              /* the exit's frame now stands for this interrupt */
    incl itron_irq_folded
    jmp 2f
0:  push %eax
    push %ecx
    push %edx
2:  cld
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
    mov 52(%esp), %eax
    and $IF_BIT, %eax
    push %eax
    call itron_exit_handler
    add $4, %esp
2:  testl $IF_BIT, 52(%esp)
    jz 3f
    mov $HC_SET_IF, %eax            /* popa restores eax and ebx */
    mov $1, %ebx
    int $0x82
3:  add $4, %esp
    popa
    add $8, %esp
    iret

    .bss
    .align 16
    .global itron_int_stack_top, itron_idle_stack_top
    .space 8192
itron_int_stack_top:
    .space 1024
itron_idle_stack_top:
