/* Every way into Gandalf: exceptions, real IRQs, the hypercall gate; and the way out.
 *
 * From ring 1 the processor switches to TSS.esp0, which points just past the running
 * partition's Frame, so the frame lands in the partition itself; we then move to
 * Gandalf's stack. From ring 0 (Gandalf idling with sti;hlt, or a Gandalf bug) there is no
 * stack switch and the handler runs where it is. Handlers use regparm(1): EAX = frame in,
 * EAX = frame to resume out. */
#define VMM_DS 0x108
#define FRAME_CS 60
#define FRAME_EFLAGS 64
#define EFLAGS_VM 0x20000

    /* Back to the frame in EAX: the handler's choice of who runs next.
     *
     * The guest's data segment registers are loaded with ESP still on Gandalf's stack, so a
     * selector whose descriptor went bad faults there, not inside the partition table; the
     * addresses of the loads and of the iret go into the exit_points table, which tells
     * gandalf_exception and exit_iret_fault that the fault is the guest's (vmm.cpp). popa and
     * add cannot fault. An iret fault pushes its frame into the slots of this same Frame that
     * popa has already consumed (edx..error), and exit_iret_fault puts them back. */
    .macro EXIT
1:  mov 0(%eax), %gs
    mov 4(%eax), %fs
    mov 8(%eax), %es
    mov 12(%eax), %ds               /* the memory operand still goes through Gandalf's DS */
2:  lea 16(%eax), %esp
    popa
    add $8, %esp                    /* vector, error */
3:  iret
    .pushsection .exit_points, "a"
    .long 1b, 2b, 3b
    .popsection
    .endm

    /* Completes the Frame below the vector/error slots and makes Gandalf's data segments and
     * direction flag current. Leaves EAX = the frame. */
    .macro SAVE
    pusha
    push %ds
    push %es
    push %fs
    push %gs
    mov $VMM_DS, %eax
    mov %eax, %ds
    mov %eax, %es
    cld                             /* a guest's std must not reverse Gandalf's string ops */
    mov %esp, %eax
    .endm

    /* A trap from a guest (CPL 1 or 3, or virtual-8086 mode, which QEMU TCG enters on an
     * iret with EFLAGS.VM=1 at CPL 1) moves to Gandalf's stack; a trap from Gandalf stays. */
    .macro ENTER handler
    SAVE
    CALL_ON_OWN_STACK \handler
    .endm

    .macro CALL_ON_OWN_STACK handler
    testb $3, FRAME_CS(%esp)
    jnz 2f
    testl $EFLAGS_VM, FRAME_EFLAGS(%esp)
    jz 1f
2:  mov $vmm_stack_top, %esp
1:  call \handler
    EXIT
    .endm

    .section .text.entry, "ax"
    .align 16
    .global resume_frame
resume_frame:                       /* EAX = frame to resume */
    EXIT

    .macro EXC vec
    .align 8
exc_\vec:
    .if !(\vec == 8 || (\vec >= 10 && \vec <= 14) || \vec == 17)
    push $0
    .endif
    push $\vec
    jmp exception_common
    .endm

    .macro IRQ n
    .align 8
irq_\n:
    push $0
    push $(0x20 + \n)
    jmp irq_common
    .endm

    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    EXC \v
    .endr
    /* IRQ 0, Gandalf's timer, has an entry of its own (gandalf_tick): the hot path. */
    .align 8
irq_0:
    push $0
    push $0x20
    jmp tick_common
    .irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    IRQ \n
    .endr

exception_common:
    /* (%esp): vector, error, eip, cs, eflags. From ring 0 with ESP outside Gandalf's stack
     * only the iret of EXIT can fault: ESP then points into the Frame being resumed. */
    testb $3, 12(%esp)
    jnz 1f
    testl $EFLAGS_VM, 16(%esp)      /* virtual-8086 mode (CS may read as ring 0) */
    jnz 1f
    cmp $vmm_stack, %esp
    jb exit_iret_fault
    cmp $vmm_stack_top, %esp
    jae exit_iret_fault
1:  ENTER gandalf_exception

    /* ESP = frame + 36: the processor pushed error, eip, cs, eflags over the frame's ecx, eax,
     * vector and error slots and the stub pushed the vector over edx; the guest's EAX, ECX
     * and EDX are still in the registers (popa loaded them). Put the frame back together,
     * then hand it to C: EAX = faulting EIP, EDX = frame. */
exit_iret_fault:
    xchg %edx, 0(%esp)              /* EDX = vector; frame.edx restored */
    xchg %ecx, 4(%esp)              /* ECX = error code; frame.ecx restored */
    xchg %eax, 8(%esp)              /* EAX = faulting EIP; frame.eax restored */
    mov %edx, 12(%esp)              /* frame.vector */
    mov %ecx, 16(%esp)              /* frame.error */
    lea -36(%esp), %edx
    mov $VMM_DS, %ecx
    mov %ecx, %ds
    mov %ecx, %es
    cld
    mov $vmm_stack_top, %esp
    call gandalf_exit_fault
    EXIT
    /* The TSC when Gandalf took the interrupt, read first: the time of a timer tick and the
     * start of every virtual interrupt's latency (telemetry, gandalf_boot_info.irq_raise_tsc). */
    .macro IRQ_COMMON handler
    SAVE
    rdtsc
    mov %eax, irq_taken_tsc
    mov %edx, irq_taken_tsc+4
    mov %esp, %eax
    CALL_ON_OWN_STACK \handler
    .endm
irq_common:
    IRQ_COMMON gandalf_irq
tick_common:
    IRQ_COMMON gandalf_tick

    /* The hypercall gate has DPL 1 and Gandalf never raises it: always from a guest, so no
     * ring check; the vector/error slots are left as they are (nobody reads them). */
    .align 16
    .global hypercall_entry
hypercall_entry:
    sub $8, %esp
    SAVE
    mov $vmm_stack_top, %esp
    call gandalf_hypercall
    EXIT

    .align 8
    .global unexpected_entry
unexpected_entry:                   /* any other vector: only Gandalf bugs or stray hardware */
    push $0
    push $0xff
    ENTER gandalf_unexpected

    .section .rodata
    .align 4
    .global exception_stubs, irq_stubs
exception_stubs:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .long exc_\v
    .endr
irq_stubs:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    .long irq_\n
    .endr

    /* Gandalf's one stack: all of Gandalf runs on it with interrupts off (the idle loop's
     * sti;hlt window nests an IRQ on top of it). */
    .section .bss.stack, "aw", @nobits
    .align 4096
    .global vmm_stack_top
vmm_stack:
    .skip 16384
vmm_stack_top:
