/* Program entry for x86-64 guests. zxsim drops to CPL3 with sysretq, which
 * takes the entry pc from rcx and rflags from r11, so at _start
 *   rdi = process handle, rsi = root VMAR handle, rdx = argc, r8 = argv,
 * rcx and r11 hold the entry pc and the flags, and rsp is 16-byte aligned
 * with no return address pushed (guest/README.md, "Entry state").
 * __zxsim_start takes the four values as C arguments, so argv moves to rcx,
 * C's fourth argument register. */
    .section .text.zxsim_start, "ax", @progbits
    .globl _start
    .type _start, @function
    .p2align 4
_start:
    .cfi_startproc
    .cfi_undefined rip          /* outermost frame: stop unwinders here */
    mov %r8, %rcx
    xor %ebp, %ebp              /* end of the frame-pointer chain */
    and $-16, %rsp              /* re-align in case the loader did not */
    call __zxsim_start          /* pushes 8: the callee sees the ABI's rsp % 16 == 8 */
    ud2                         /* not reached */
    .cfi_endproc
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
