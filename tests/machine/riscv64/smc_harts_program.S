# A bare-metal program for machine_sys_tests with two harts in M-mode, run one at a time by the
# test, which switches to the other hart at every ecall (the M handler just skips the ecall).
# Hart 0 writes a function into code_page (its write TLB now maps the page, which holds no code
# yet), hart 1 calls it, hart 0 rewrites its first instruction (no fence.i anywhere after the
# first), and hart 1 calls it again. The spec lets hart 1 see either version without a fence.i;
# polyvm's code tracker guarantees the new one, which is what this checks: the store went through
# an entry filled before the page held code, so it must have been marked when hart 1 translated
# the page. Results: hart 1's s1 = 0x5a5 (code_v1), s2 = 0x123 (code_v2).
        .option norvc
        .text
        .globl _start
_start:
        la      t0, mtrap
        csrw    mtvec, t0
        csrr    a0, mhartid
        bnez    a0, hart1

hart0:
        la      t4, code_page
        la      t5, code_v1
        lw      t0, 0(t5)
        sw      t0, 0(t4)
        lw      t0, 4(t5)
        sw      t0, 4(t4)
        fence.i
        ecall                                   # -> hart 1: calls code_page
        la      t4, code_page
        la      t5, code_v2
        lw      t0, 0(t5)
        sw      t0, 0(t4)                       # rewrite, no fence.i
        ecall                                   # -> hart 1: calls it again
        wfi

hart1:
        la      t4, code_page
        jalr    ra, 0(t4)
        mv      s1, a0
        ecall                                   # -> hart 0: rewrites
        la      t4, code_page
        jalr    ra, 0(t4)
        mv      s2, a0
        wfi

mtrap:                                          # ecall from M: continue after it
        csrr    t0, mepc
        addi    t0, t0, 4
        csrw    mepc, t0
        mret

code_v1:
        addi    a0, zero, 0x5a5
        ret
code_v2:
        addi    a0, zero, 0x123

        .bss
        .balign 4096
code_page: .zero 4096
