/* The chaos guest's way in and out of a snippet (main.cpp). Every snippet ends in an
 * exception: the ud2 after it, a fault it raised, or a ud2 its stray returns land on. Each
 * exception vector's stub puts the processor's frame where main.cpp reads it, resets the stack
 * and calls chaos_fault, which starts the next snippet: no stack outlives a snippet. */
    .section .text
    .global chaos_enter
/* chaos_enter(const Regs*): the snippet's registers, the stack last (it may be anything in
 * random mode: nothing is pushed on it here), then jump. */
chaos_enter:
    mov 4(%esp), %eax
    mov 32(%eax), %ecx
    mov %ecx, chaos_entry
    mov 4(%eax), %ecx
    mov 8(%eax), %edx
    mov 12(%eax), %ebx
    mov 16(%eax), %ebp
    mov 20(%eax), %esi
    mov 24(%eax), %edi
    mov 28(%eax), %esp
    mov 0(%eax), %eax
    jmp *chaos_entry

    /* Exception stubs: vector, whether the processor pushed an error code. */
    .macro FAULT vec, has_error
    .global chaos_fault_\vec
    .align 8
chaos_fault_\vec:
    push %eax                    /* on the delivery's stack: SS is ours, whatever DS holds */
    mov %cs, %eax                /* our data selector follows our code selector (main.cpp */
    add $8, %eax                 /* checks): nothing a snippet wrote can change it */
    mov %eax, %ds
    pop %eax
    .if \has_error
    popl chaos_frame_error
    .else
    movl $0, chaos_frame_error
    .endif
    popl chaos_frame_eip
    movl $\vec, chaos_frame_vector
    jmp chaos_common
    .endm

    FAULT 0, 0
    FAULT 1, 0
    FAULT 2, 0
    FAULT 3, 0
    FAULT 4, 0
    FAULT 5, 0
    FAULT 6, 0
    FAULT 7, 0
    FAULT 8, 1
    FAULT 9, 0
    FAULT 10, 1
    FAULT 11, 1
    FAULT 12, 1
    FAULT 13, 1
    FAULT 14, 1
    FAULT 15, 0
    FAULT 16, 0
    FAULT 17, 1
    FAULT 18, 0
    FAULT 19, 0

chaos_common:
    mov %ds, %eax           /* the snippet may have loaded anything into the others */
    mov %eax, %es
    mov %eax, %fs
    mov %eax, %gs
    mov %eax, %ss
    mov $chaos_stack_top, %esp
    cld
    call chaos_fault
1:  jmp 1b

    /* Any other vector: a virtual interrupt (the snippet may have reprogrammed the virtual
     * 8259 to any base) or a software interrupt. End of interrupt to both, back to the snippet
     * on its own stack; but a snippet that has run CHAOS_TICK_BUDGET interrupts (ticks) is
     * caught in a loop (jmp $ is two random bytes): it ends here, as vector 32. */
    .set CHAOS_TICK_BUDGET, 20
    .global chaos_interrupt
    .align 8
chaos_interrupt:
    push %eax
    mov $0x20, %al
    outb %al, $0xa0
    outb %al, $0x20
    incl %ss:chaos_interrupts
    incl %ss:chaos_snippet_ticks
    cmpl $CHAOS_TICK_BUDGET, %ss:chaos_snippet_ticks
    jae 1f
    push %ebx                /* the delivery turned the virtual IF off: on again (set_if 1) */
    mov $1, %eax
    mov $1, %ebx
    int $0x82
    pop %ebx
    pop %eax
    iret
1:  mov %cs, %eax
    add $8, %eax
    mov %eax, %ds
    mov 4(%esp), %eax        /* the interrupted EIP */
    mov %eax, chaos_frame_eip
    movl $0, chaos_frame_error
    movl $32, chaos_frame_vector
    jmp chaos_common
