/* Every way into Gandalf: exceptions, real IRQs, the hypercall gate; and the way out.
 *
 * From ring 1 the processor switches to TSS.esp0, which points just past the running
 * partition's Frame, so the frame lands in the partition itself; we then move to
 * Gandalf's stack. From ring 0 (Gandalf idling with sti;hlt, or a Gandalf bug) there is no
 * stack switch and the handler runs where it is. Handlers use regparm(1): EAX = frame in,
 * EAX = frame to resume out. */
#define VMM_DS 0x108
#define FRAME_CS 60

    /* Back to the frame in EAX: the handler's choice of who runs next. */
    .macro EXIT
    mov %eax, %esp
    pop %gs
    pop %fs
    pop %es
    pop %ds
    popa
    add $8, %esp                    /* vector, error */
    iret
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

    .macro ENTER handler
    SAVE
    testb $3, FRAME_CS(%esp)
    jz 1f
    mov $vmm_stack_top, %esp
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
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    IRQ \n
    .endr

exception_common:
    ENTER gandalf_exception
irq_common:
    ENTER gandalf_irq

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
