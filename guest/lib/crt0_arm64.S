/* Program entry for arm64 guests. zxsim starts the thread at EL0 here with
 *   x0 = process handle, x1 = root VMAR handle, x2 = argc, x3 = argv
 * and sp 16-byte aligned (guest/README.md, "Entry state"). Those four are
 * exactly the arguments of __zxsim_start, which never returns. */
    .section .text.zxsim_start, "ax", %progbits
    .globl _start
    .type _start, %function
    .p2align 2
_start:
    .cfi_startproc
    .cfi_undefined x30          /* outermost frame: stop unwinders here */
    mov x29, #0                 /* end of the frame-pointer chain */
    mov x30, #0
    mov x9, sp                  /* re-align sp in case the loader did not */
    and x9, x9, #~15
    mov sp, x9
    bl __zxsim_start
    brk #0x3ff                  /* not reached */
    .cfi_endproc
    .size _start, . - _start

    .section .note.GNU-stack, "", %progbits
