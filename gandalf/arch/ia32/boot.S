/* Multiboot entry: runs at physical addresses with paging off, maps Gandalf at
 * GANDALF_VIRT with 4 MiB pages (plus an identity map of everything below the RTOS
 * window, so the boot information and modules stay reachable), then jumps high.
 * The symbols GANDALF_* come from the generated gandalf_layout.ld. */
#define MB_FLAGS 0x3 /* bit 0: page-align modules, bit 1: memory information */
#define PDE_LARGE 0x83 /* P | RW | PS */

    .section .multiboot, "a"
    .align 4
    .long 0x1badb002
    .long MB_FLAGS
    .long -(0x1badb002 + MB_FLAGS)

    .section .boot.text, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    mov %eax, %esi                  /* loader magic, checked in C++ */
    mov %ebx, %edi                  /* multiboot information (physical) */
    mov $boot_pd, %edx
    xor %ecx, %ecx
1:  mov %ecx, %eax                  /* identity: PDE[i] = i * 4 MiB, below the RTOS window */
    shl $22, %eax
    or $PDE_LARGE, %eax
    mov %eax, (%edx,%ecx,4)
    inc %ecx
    cmp $GANDALF_RTOS_PDE, %ecx
    jb 1b
    mov $GANDALF_PHYS, %eax         /* Gandalf's window: PDE[virt>>22 + k] = phys + k * 4 MiB */
    or $PDE_LARGE, %eax
    mov $GANDALF_VIRT_PDE, %ecx
    mov $GANDALF_LARGE_PAGES, %ebx
2:  mov %eax, (%edx,%ecx,4)
    add $0x400000, %eax
    inc %ecx
    dec %ebx
    jnz 2b
    mov %edx, %cr3
    mov %cr4, %eax
    or $0x10, %eax                  /* CR4.PSE */
    mov %eax, %cr4
    mov %cr0, %eax
    or $0x80010000, %eax            /* CR0.PG | CR0.WP */
    mov %eax, %cr0
    mov $boot_high, %eax
    jmp *%eax

    .section .boot.data, "aw"
    .align 4096
boot_pd:
    .fill 1024, 4, 0

    .section .text.boot_high, "ax"
boot_high:
    mov $vmm_stack_top, %esp
    push %edi
    push %esi
    call gandalf_main
3:  cli
    hlt
    jmp 3b
