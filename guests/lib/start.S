/* Guest entry. Gandalf starts us with ESP = header.stack_top and EBX = offset of the boot
 * information. (Each guest brings its own interrupt entries: testguest/isr.S, chaos/chaos.S.) */
    .section .text.start, "ax"
    .global guest_entry
guest_entry:
    cld
    push %ebx
    call guest_main
1:  jmp 1b
