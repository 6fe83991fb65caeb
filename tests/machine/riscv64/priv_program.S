# A bare-metal program for machine_interp_tests: it walks M -> S -> U with mret and sret, takes a
# delegated ecall from U in S, an illegal CSR access from U in M, an ecall from S in M, and stops
# with wfi in M (interrupts disabled). Registers s0..s7 record what the handlers saw.
        .option norvc
        .text
        .globl _start
_start:
        la      t0, mtrap
        csrw    mtvec, t0
        la      t0, strap
        csrw    stvec, t0
        li      t0, 1 << 8              # delegate ecall from U to S
        csrw    medeleg, t0
        li      t0, 3 << 11             # mstatus.MPP = S
        csrc    mstatus, t0
        li      t0, 1 << 11
        csrs    mstatus, t0
        la      t0, s_entry
        csrw    mepc, t0
        mret

s_entry:
        csrr    s7, sstatus             # S may read sstatus
        la      t0, u_entry
        csrw    sepc, t0
        li      t0, 1 << 8              # sstatus.SPP = U
        csrc    sstatus, t0
        sret

u_entry:
        li      a0, 42
        ecall                           # -> S, scause 8
        mv      s1, a0                  # 43: the S handler added one
        .globl  illegal_in_u
illegal_in_u:
        csrr    a1, mstatus             # -> M, mcause 2, mtval = these bits
        ecall                           # a0 = 99 now: S forwards with an ecall of its own

strap:
        csrr    s0, scause
        csrr    t1, sepc
        addi    t1, t1, 4
        csrw    sepc, t1
        li      t2, 99
        beq     a0, t2, 1f
        addi    a0, a0, 1
        sret
1:      ecall                           # from S -> M, mcause 9

mtrap:
        csrr    t3, mcause
        li      t4, 2
        beq     t3, t4, m_illegal
        mv      s5, t3
        csrr    s6, mstatus
        csrr    s4, mepc
        wfi                             # MIE = 0, mie = 0: the run ends here
m_illegal:
        csrr    s3, mtval
        csrr    t1, mepc
        addi    t1, t1, 4
        csrw    mepc, t1
        li      a0, 99
        mret
