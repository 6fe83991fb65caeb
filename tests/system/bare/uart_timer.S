# A bare-metal program for `polyvm boot --bios none` (loaded at 0x80000000, M-mode, a0 = hart id):
# prints "bare: hello" on the 16550 UART, arms the CLINT timer 1 ms ahead (10 MHz timebase) and
# sleeps in wfi until MTIP is pending (MIE stays 0, so wfi wakes without a trap: privileged spec
# 3.3.3), prints "bare: timer", then powers off through the sifive-test finisher with failure code
# 42 (0x3333 | 42 << 16), which polyvm must turn into exit status 42. Other harts park in wfi.
    .equ UART, 0x10000000
    .equ UART_LSR, 5
    .equ LSR_THRE, 0x20
    .equ CLINT_MTIMECMP0, 0x2004000
    .equ CLINT_MTIME, 0x200bff8
    .equ FINISHER, 0x100000
    .equ MIP_MTIP, 0x80

    .section .text
    .globl _start
_start:
    bnez a0, park
    la sp, stack_top
    la a0, hello
    call puts

    li t0, CLINT_MTIME
    ld t1, 0(t0)
    li t2, 10000
    add t1, t1, t2
    li t0, CLINT_MTIMECMP0
    sd t1, 0(t0)
    li t0, MIP_MTIP
    csrw mie, t0
1:  wfi
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    beqz t0, 1b

    la a0, timer
    call puts

    li t0, FINISHER
    li t1, 0x3333 | (42 << 16)
    sw t1, 0(t0)
park:
    wfi
    j park

# puts(a0): a NUL-terminated string to the UART, waiting for THR empty before each byte.
puts:
    li t0, UART
1:  lbu t1, 0(a0)
    beqz t1, 3f
2:  lbu t2, UART_LSR(t0)
    andi t2, t2, LSR_THRE
    beqz t2, 2b
    sb t1, 0(t0)
    addi a0, a0, 1
    j 1b
3:  ret

    .section .rodata
hello: .asciz "bare: hello\n"
timer: .asciz "bare: timer\n"

    .section .bss
    .balign 16
    .space 1024
stack_top:
