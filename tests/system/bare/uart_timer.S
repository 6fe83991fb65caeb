# A bare-metal program for `polyvm boot --bios none` (loaded at 0x80000000, M-mode, a0 = hart id):
# prints "bare: hello" on the 16550 UART, arms the CLINT timer 1 ms ahead (10 MHz timebase) and
# sleeps in wfi until MTIP is pending (MIE stays 0, so wfi wakes without a trap: privileged spec
# 3.3.3), prints "bare: timer". Then it takes the timer as an interrupt: vectored mtvec, the timer
# armed 1 ms ahead, MIE set, and a loop that only loads a flag from memory until the handler (at
# mtvec + 4 * 7) has set it (an engine must take interrupts inside such a loop, which the JIT
# runs as one block looping to itself); "bare: interrupt" if mcause was the machine timer
# interrupt. Then it powers off through the sifive-test finisher with failure code 42
# (0x3333 | 42 << 16), which polyvm must turn into exit status 42. Other harts park in wfi.
    .equ UART, 0x10000000
    .equ UART_LSR, 5
    .equ LSR_THRE, 0x20
    .equ CLINT_MTIMECMP0, 0x2004000
    .equ CLINT_MTIME, 0x200bff8
    .equ FINISHER, 0x100000
    .equ MIP_MTIP, 0x80
    .equ MSTATUS_MIE, 0x8
    .equ MCAUSE_MTI, 0x8000000000000007

    .section .text
    .globl _start
_start:
    bnez a0, park
    la sp, stack_top
    la a0, hello
    call puts

    call arm_timer
    li t0, MIP_MTIP
    csrw mie, t0
1:  wfi
    csrr t0, mip
    andi t0, t0, MIP_MTIP
    beqz t0, 1b

    la a0, timer
    call puts

    la t0, vectors
    ori t0, t0, 1                     # mode 1: vectored
    csrw mtvec, t0
    call arm_timer
    la t3, flag
    csrsi mstatus, MSTATUS_MIE
1:  ld t4, 0(t3)                      # the handler sets it
    beqz t4, 1b
    la t0, cause
    ld t1, 0(t0)
    li t2, MCAUSE_MTI
    la a0, wrong
    bne t1, t2, 2f
    la a0, interrupt
2:  call puts

    li t0, FINISHER
    li t1, 0x3333 | (42 << 16)
    sw t1, 0(t0)
park:
    wfi
    j park

# The vectored trap table: an exception (vector 0) or an interrupt other than the timer parks the
# hart (the test then times out); the timer's handler records mcause, sets the flag, disarms.
    .balign 256                       # mtvec's BASE (the spec asks 4; some harts more)
vectors:
    .option push
    .option norvc                     # 4 bytes per entry
    j park
    .rept 6
    j park
    .endr
    j timer_handler                   # vector 7: machine timer interrupt
    .rept 8
    j park
    .endr
    .option pop
timer_handler:
    csrr t0, mcause
    la t1, cause
    sd t0, 0(t1)
    li t0, 1
    la t1, flag
    sd t0, 0(t1)
    li t0, -1
    li t1, CLINT_MTIMECMP0
    sd t0, 0(t1)                      # no further timer interrupt
    mret

# arm_timer: hart 0's CLINT timer fires 1 ms from now (10 MHz timebase).
arm_timer:
    li t0, CLINT_MTIME
    ld t1, 0(t0)
    li t2, 10000
    add t1, t1, t2
    li t0, CLINT_MTIMECMP0
    sd t1, 0(t0)
    ret

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
interrupt: .asciz "bare: interrupt\n"
wrong: .asciz "bare: wrong mcause\n"

    .section .bss
    .balign 8
flag: .dword 0
cause: .dword 0
    .balign 16
    .space 1024
stack_top:
