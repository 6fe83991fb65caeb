# A bare-metal program for machine_sys_tests: the soft MMU under a real engine. M-mode builds Sv39
# page tables (and an Sv48 root over the same tables), delegates page faults, misaligned atomics
# and ecall from U to S, and enters S. S then makes accesses whose outcome the privileged spec fixes
# (the values are in `expected` below, each with the reason) and records what it saw in `results`:
# A/D bits set by the walker, a load and a store crossing into a page mapped elsewhere, permission
# faults, an MMIO store and load, a fetch from a non-executable page, code written through another
# virtual mapping (after fence.i, and again without it), AMOs and LR/SC through the TLB and their
# faults, SUM, a trip to U and back, Sv48, a loop running into a page fault, and loops over pages
# remapped between their runs and across a page boundary. It ends with an
# ecall to M, which records mcause and stops in wfi. s11 holds the address of `results` throughout, s6 the number of slots; `expected`
# follows `results`.
        .option norvc

        .equ PTE_V, 1
        .equ PTE_R, 2
        .equ PTE_W, 4
        .equ PTE_X, 8
        .equ PTE_U, 16
        .equ PTE_A, 64
        .equ PTE_D, 128
        .equ VBASE, 0x40000000          # the 4 KiB test pages: VBASE + i * 0x1000 (table l0)
        .equ MMIO_PA, 0x10000000        # the test device (machine_sys_tests maps one page there)

        # Result slots (8 bytes each); `expected` has the same order.
        .equ R_AD0, 0
        .equ R_A1, 1
        .equ R_XLOAD, 2
        .equ R_XSTORE_LO, 3
        .equ R_XSTORE_HI, 4
        .equ R_AD1, 5
        .equ R_RO, 6                    # cause, tval
        .equ R_INV, 8
        .equ R_MMIO, 10
        .equ R_NX, 11
        .equ R_CODE1, 13
        .equ R_CODE2, 14
        .equ R_AMO_OLD, 15
        .equ R_AMO_NEW, 16
        .equ R_LR, 17
        .equ R_SC, 18
        .equ R_SC_MEM, 19
        .equ R_AMO_RO, 20
        .equ R_LR_INV, 22
        .equ R_AMO_MIS, 24
        .equ R_LR_MIS, 26
        .equ R_SUM0, 28
        .equ R_SUM1, 30
        .equ R_U_A0, 31
        .equ R_U_FAULT, 32
        .equ R_SV48_LOAD, 34
        .equ R_SV48_CODE, 35
        .equ R_XBLOCK1, 36
        .equ R_XBLOCK2, 37
        .equ R_LOOP, 38                 # cause, tval
        .equ R_LOOP_COUNT, 40
        .equ R_LOOP_PTR, 41
        .equ R_LOOP_RUNS, 42
        .equ R_SITE1, 43
        .equ R_SITE2, 44
        .equ R_SITE_CROSS, 45
        .equ R_SITE_FILL, 46
        .equ R_MCAUSE, 47
        .equ R_COUNT, 48

# pte TABLE, INDEX, REG, FLAGS: TABLE[INDEX] = PPN(REG) | FLAGS (clobbers t0, t1)
.macro pte table, index, reg, flags
        srli    t0, \reg, 12
        slli    t0, t0, 10
        ori     t0, t0, \flags
        la      t1, \table
        sd      t0, (\index * 8)(t1)
.endm
.macro pte_to table, index, target, flags
        la      t2, \target
        pte     \table, \index, t2, \flags
.endm
# record REG, SLOT
.macro record reg, slot
        sd      \reg, (\slot * 8)(s11)
.endm
# expect_fault SLOT: the next fault's scause/stval go to SLOT, SLOT + 1
.macro expect_fault slot
        addi    s9, s11, \slot * 8
.endm

        .text
        .globl _start
_start:
        la      s11, results
        li      s6, R_COUNT                     # tells the test how many slots there are
        # Sv39: root[1] -> l1 -> l0 (VBASE), root[2] = a 1 GiB S-only RWX identity page for RAM.
        pte_to  root39, 1, l1, PTE_V
        li      t2, 0x80000000
        pte     root39, 2, t2, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
        pte_to  l1, 0, l0, PTE_V
        pte_to  l0, 0, data0, PTE_V | PTE_R | PTE_W               # A = D = 0: the walker sets them
        pte_to  l0, 1, data2, PTE_V | PTE_R | PTE_W               # another physical page, A = D = 0
        pte_to  l0, 2, ro_page, PTE_V | PTE_R | PTE_A             # read-only
        # l0[3] stays 0: invalid
        li      t2, MMIO_PA
        pte     l0, 4, t2, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
        pte_to  l0, 5, code_buf, PTE_V | PTE_R | PTE_X | PTE_A    # code_buf, executable view
        pte_to  l0, 6, code_buf, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D   # code_buf, writable view
        pte_to  l0, 7, data1, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D      # not executable
        pte_to  l0, 8, u_code, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
        pte_to  l0, 9, u_data, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
        pte_to  l0, 10, xpage_x, PTE_V | PTE_R | PTE_X | PTE_A    # code running on into ...
        pte_to  l0, 11, xpage_y, PTE_V | PTE_R | PTE_X | PTE_A    # ... this page (later xpage_z)
        # Sv48: VPN[3] = 0 for every address used, and root39 serves as the level-2 table.
        pte_to  root48, 0, root39, PTE_V

        # Page contents.
        la      t0, data0
        li      t1, 0x8877665544332211
        li      t2, 0xff8
        add     t2, t0, t2
        sd      t1, 0(t2)                       # data0 + 0xff8
        li      t1, 5
        sd      t1, 0x100(t0)                   # data0 + 0x100: the AMO word
        la      t0, data2
        li      t1, 0xffeeddccbbaa9988
        sd      t1, 0(t0)
        la      t0, u_data
        li      t1, 0x4242
        sd      t1, 0(t0)
        # Code whose block crosses from VBASE + 0xa000 into VBASE + 0xb000.
        la      t0, xcode_a
        la      t1, xpage_x
        li      t2, 0xffc
        add     t1, t1, t2
        lw      t2, 0(t0)
        sw      t2, 0(t1)                       # xpage_x + 0xffc: addi a0, zero, 0x111
        la      t0, xcode_b
        la      t1, xpage_y
        lw      t2, 0(t0)
        sw      t2, 0(t1)                       # xpage_y + 0: ret
        la      t0, xcode_c
        la      t1, xpage_z
        lw      t2, 0(t0)
        sw      t2, 0(t1)                       # xpage_z + 0: addi a0, a0, 0x22
        lw      t2, 4(t0)
        sw      t2, 4(t1)                       # xpage_z + 4: ret
        fence.i
        # The pages the site-cache loops read (physical addresses: M does not translate).
        la      a0, loop_p
        addi    a1, a0, 128
        li      a2, 1
        call    fill_range                      # loop_p[0..15] = 1
        la      a0, loop_q
        addi    a1, a0, 128
        li      a2, 0x100
        call    fill_range                      # loop_q[0..15] = 0x100
        la      a0, loop_p
        li      t0, 4096 - 128
        add     a0, a0, t0
        addi    a1, a0, 128
        li      a2, 0x10
        call    fill_range                      # loop_p[496..511] = 0x10

        la      t0, mtrap
        csrw    mtvec, t0
        la      t0, strap
        csrw    stvec, t0
        # Delegate load/store misaligned (4, 6), ecall from U (8), page faults (12, 13, 15).
        li      t0, (1 << 4) | (1 << 6) | (1 << 8) | (1 << 12) | (1 << 13) | (1 << 15)
        csrw    medeleg, t0
        la      t0, root39
        srli    t0, t0, 12
        li      t1, 8 << 60                     # MODE = Sv39
        or      t0, t0, t1
        csrw    satp, t0
        sfence.vma
        li      t0, 3 << 11                     # mstatus.MPP = S
        csrc    mstatus, t0
        li      t0, 1 << 11
        csrs    mstatus, t0
        la      t0, s_entry
        csrw    mepc, t0
        mret

s_entry:
        li      s8, VBASE
        la      s7, l0                          # the leaf PTEs, read through the identity page

        # A and D: a store to a page whose PTE has A = D = 0 sets both.
        li      t0, 1
        sd      t0, 0(s8)
        ld      t0, 0(s7)
        andi    t0, t0, PTE_A | PTE_D
        record  t0, R_AD0

        # An 8-byte load at VBASE + 0xffe crosses into VBASE + 0x1000, which maps data2.
        li      t4, VBASE + 0xffe
        ld      t0, 0(t4)
        record  t0, R_XLOAD
        ld      t0, 8(s7)                       # loads set A only
        andi    t0, t0, PTE_A | PTE_D
        record  t0, R_A1
        # An 8-byte store at VBASE + 0xffc crosses the same way.
        li      t4, VBASE + 0xffc
        li      t5, 0x0123456789abcdef
        sd      t5, 0(t4)
        li      t4, VBASE + 0xff8
        ld      t0, 0(t4)
        record  t0, R_XSTORE_LO
        li      t4, VBASE + 0x1000
        ld      t0, 0(t4)
        record  t0, R_XSTORE_HI
        ld      t0, 8(s7)
        andi    t0, t0, PTE_A | PTE_D
        record  t0, R_AD1

        # Permission and validity faults.
        expect_fault R_RO
        li      t4, VBASE + 0x2010
        sd      t0, 0(t4)                       # read-only page: store page fault
        expect_fault R_INV
        li      t4, VBASE + 0x3008
        ld      t0, 0(t4)                       # invalid PTE: load page fault

        # MMIO: the device keeps what is written and returns it.
        li      t4, VBASE + 0x4008
        li      t5, 0x12345678
        sw      t5, 0(t4)
        lw      t0, 0(t4)
        record  t0, R_MMIO

        # Fetch from a page without X: instruction page fault, the handler returns to ra.
        expect_fault R_NX
        li      t4, VBASE + 0x7000
        jalr    ra, 0(t4)

        # Code written through the writable view, run through the executable one.
        li      t4, VBASE + 0x6000
        la      t5, code_v1
        lw      t0, 0(t5)
        sw      t0, 0(t4)
        lw      t0, 4(t5)
        sw      t0, 4(t4)
        fence.i
        li      t4, VBASE + 0x5000
        jalr    ra, 0(t4)
        record  a0, R_CODE1
        # Overwrite its first instruction without fence.i and call it again.
        li      t4, VBASE + 0x6000
        la      t5, code_v2
        lw      t0, 0(t5)
        sw      t0, 0(t4)
        li      t4, VBASE + 0x5000
        jalr    ra, 0(t4)
        record  a0, R_CODE2

        # AMOs and LR/SC through the TLB.
        li      t4, VBASE + 0x100
        li      t5, 7
        amoadd.d t0, t5, (t4)
        record  t0, R_AMO_OLD
        ld      t0, 0(t4)
        record  t0, R_AMO_NEW
        li      t5, 99
        lr.d    t0, (t4)
        record  t0, R_LR
        sc.d    t0, t5, (t4)
        record  t0, R_SC
        ld      t0, 0(t4)
        record  t0, R_SC_MEM
        expect_fault R_AMO_RO
        li      t4, VBASE + 0x2000
        amoadd.d t0, t5, (t4)                   # read-only page: store/AMO page fault
        expect_fault R_LR_INV
        li      t4, VBASE + 0x3000
        lr.d    t0, (t4)                        # invalid PTE: load page fault
        expect_fault R_AMO_MIS
        li      t4, VBASE + 0x104
        amoadd.d t0, t5, (t4)                   # misaligned AMO: store/AMO address misaligned
        expect_fault R_LR_MIS
        lr.d    t0, (t4)                        # misaligned LR: load address misaligned

        # SUM: S may read a U page only with sstatus.SUM = 1.
        expect_fault R_SUM0
        li      t4, VBASE + 0x9000
        ld      t0, 0(t4)
        li      t1, 1 << 18
        csrs    sstatus, t1
        ld      t0, 0(t4)
        record  t0, R_SUM1
        csrc    sstatus, t1

        # A block crossing a page: after the second page is remapped (sfence.vma, no code written)
        # the same virtual pc must run the new page's instructions.
        li      t4, VBASE + 0xaffc
        jalr    ra, 0(t4)
        record  a0, R_XBLOCK1
        la      t0, xpage_z
        pte     l0, 11, t0, PTE_V | PTE_R | PTE_X | PTE_A
        sfence.vma
        li      t4, VBASE + 0xaffc
        jalr    ra, 0(t4)
        record  a0, R_XBLOCK2

        # U: runs u_code at VBASE + 0x8000; its ecall comes back to after_u.
        expect_fault R_U_FAULT
        la      s10, after_u
        li      t0, VBASE + 0x8000
        csrw    sepc, t0
        li      t0, 1 << 8                      # sstatus.SPP = U
        csrc    sstatus, t0
        sret
after_u:
        record  a0, R_U_A0

        # Sv48 over the same tables: same translations.
        la      t0, root48
        srli    t0, t0, 12
        li      t1, 9 << 60                     # MODE = Sv48
        or      t0, t0, t1
        csrw    satp, t0
        sfence.vma
        li      t4, VBASE + 0xff8
        ld      t0, 0(t4)
        record  t0, R_SV48_LOAD
        li      t4, VBASE + 0x5000
        jalr    ra, 0(t4)
        record  a0, R_SV48_CODE

        # A loop that runs into a page fault: the JIT keeps t3 and t4 in host registers across
        # its iterations and writes them back lazily, so they must reach the state before the
        # fault is taken. The handler skips the faulting load; the loop then ends, reading both
        # from the state when it resumes at the addi (a block of its own). Were they stale there,
        # the loop would run again from older values (ending with the same t3 and t4): the count
        # of runs kept in memory tells.
        expect_fault R_LOOP
        li      t4, VBASE + 0x2f00              # 32 loads before the invalid page at 0x3000
        li      a2, VBASE + 0x3008              # (strap uses t5 and t6)
        li      t3, 0
1:      ld      t0, 0(t4)
        addi    t3, t3, 1
        addi    t4, t4, 8
        ld      a3, (R_LOOP_RUNS * 8)(s11)
        addi    a3, a3, 1
        sd      a3, (R_LOOP_RUNS * 8)(s11)
        bltu    t4, a2, 1b
        record  t3, R_LOOP_COUNT
        record  t4, R_LOOP_PTR

        # Self-loops whose accesses keep their page's translation while they run (the JIT's site
        # caches): the same loop over VBASE + 0xc000 before and after that page is remapped (a
        # translation kept from the first run would read the old page), then over a page boundary,
        # storing and loading.
        pte_to  l0, 12, loop_p, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
        pte_to  l0, 13, loop_q, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
        sfence.vma
        li      a0, VBASE + 0xc000
        li      a1, VBASE + 0xc080
        call    sum_range
        record  a0, R_SITE1
        pte_to  l0, 12, loop_q, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
        sfence.vma
        li      a0, VBASE + 0xc000
        li      a1, VBASE + 0xc080
        call    sum_range
        record  a0, R_SITE2
        pte_to  l0, 12, loop_p, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
        sfence.vma
        li      a0, VBASE + 0xcf80
        li      a1, VBASE + 0xd080
        call    sum_range
        record  a0, R_SITE_CROSS
        li      a0, VBASE + 0xcfc0
        li      a1, VBASE + 0xd040
        li      a2, 7
        call    fill_range
        li      a0, VBASE + 0xcf80
        li      a1, VBASE + 0xd080
        call    sum_range
        record  a0, R_SITE_FILL

        ecall                                   # to M: the end

# a0 = the sum of the dwords from a0 to a1 (the loop is one block, looping to itself)
sum_range:
        li      a2, 0
1:      ld      t0, 0(a0)
        add     a2, a2, t0
        addi    a0, a0, 8
        bltu    a0, a1, 1b
        mv      a0, a2
        ret

# a2 to each dword from a0 to a1
fill_range:
1:      sd      a2, 0(a0)
        addi    a0, a0, 8
        bltu    a0, a1, 1b
        ret

# S's trap handler: ecall from U returns to S at s10; a fetch fault returns to ra; any other trap
# records scause and stval at s9 and skips the faulting instruction.
strap:
        csrr    t5, scause
        li      t6, 8
        beq     t5, t6, 2f
        csrr    t6, stval
        sd      t5, 0(s9)
        sd      t6, 8(s9)
        li      t6, 12
        beq     t5, t6, 1f
        csrr    t6, sepc
        addi    t6, t6, 4
        csrw    sepc, t6
        sret
1:      csrw    sepc, ra
        sret
2:      li      t6, 1 << 8                      # back to S
        csrs    sstatus, t6
        csrw    sepc, s10
        sret

mtrap:
        csrr    t0, mcause
        record  t0, R_MCAUSE
        wfi

code_v1:
        addi    a0, zero, 0x5a5
        ret
code_v2:
        addi    a0, zero, 0x123
xcode_a:
        addi    a0, zero, 0x111
xcode_b:
        ret
xcode_c:
        addi    a0, a0, 0x22
        ret

        .balign 4096
u_code:
        li      t4, VBASE + 0x9000
        ld      a0, 0(t4)                       # its own U page
        li      t4, VBASE
        ld      t0, 0(t4)                       # an S page: load page fault, skipped
        ecall

        .data
        .balign 8
        .globl results
results:
        .zero   R_COUNT * 8
expected:
        .dword  PTE_A | PTE_D                   # R_AD0: a store sets A and D (priv spec, Sv32/39 "A and D bits")
        .dword  PTE_A                           # R_A1: loads set A only
        .dword  0xddccbbaa99888877              # R_XLOAD: bytes 77 88 (data0 + 0xffe) then 88 99 aa bb cc dd (data2), little-endian
        .dword  0x89abcdef44332211              # R_XSTORE_LO: ef cd ab 89 stored over 0x44..0x88 of data0 + 0xffc
        .dword  0xffeeddcc01234567              # R_XSTORE_HI: 67 45 23 01 stored over data2 + 0
        .dword  PTE_A | PTE_D                   # R_AD1: the crossing store set D on data2's PTE
        .dword  15, VBASE + 0x2010              # R_RO: store/AMO page fault, stval = the address
        .dword  13, VBASE + 0x3008              # R_INV: load page fault
        .dword  0x12345678                      # R_MMIO: the device returns what was written
        .dword  12, VBASE + 0x7000              # R_NX: instruction page fault, stval = the target
        .dword  0x5a5                           # R_CODE1: code_v1 after fence.i
        .dword  0x123                           # R_CODE2: code_v2's first instruction (without fence.i the
                                                # spec allows either; polyvm's code tracker makes it the new one)
        .dword  5, 12                           # R_AMO_OLD, R_AMO_NEW: amoadd.d returns the old value, adds 7
        .dword  12, 0, 99                       # R_LR, R_SC (0 = success), R_SC_MEM
        .dword  15, VBASE + 0x2000              # R_AMO_RO: store/AMO page fault
        .dword  13, VBASE + 0x3000              # R_LR_INV: load page fault
        .dword  6, VBASE + 0x104                # R_AMO_MIS: store/AMO address misaligned
        .dword  4, VBASE + 0x104                # R_LR_MIS: load address misaligned
        .dword  13, VBASE + 0x9000              # R_SUM0: S load from a U page with SUM = 0
        .dword  0x4242                          # R_SUM1: ... allowed with SUM = 1
        .dword  0x4242                          # R_U_A0: U read its own page
        .dword  13, VBASE                       # R_U_FAULT: U load from an S page
        .dword  0x89abcdef44332211              # R_SV48_LOAD: Sv48, same mapping as R_XSTORE_LO
        .dword  0x123                           # R_SV48_CODE: the same code page
        .dword  0x111                           # R_XBLOCK1: addi a0, zero, 0x111 (xpage_x); ret (xpage_y)
        .dword  0x133                           # R_XBLOCK2: the second page is xpage_z now: + 0x22
        .dword  13, VBASE + 0x3000              # R_LOOP: the loop's load page fault
        .dword  33                              # R_LOOP_COUNT: 32 loads, then the skipped one
        .dword  VBASE + 0x3008                  # R_LOOP_PTR: past the faulting address
        .dword  33                              # R_LOOP_RUNS: one pass per iteration
        .dword  16                              # R_SITE1: loop_p[0..15] = 1
        .dword  0x1000                          # R_SITE2: remapped to loop_q: [0..15] = 0x100
        .dword  0x1100                          # R_SITE_CROSS: loop_p[496..511] = 0x10, loop_q[0..15]
        .dword  0x8f0                           # R_SITE_FILL: 8 x 0x10, 16 x 7 stored across, 8 x 0x100
        .dword  9                               # R_MCAUSE: ecall from S

        .bss
        .balign 4096
root39: .zero 4096
root48: .zero 4096
l1:     .zero 4096
l0:     .zero 4096
data0:  .zero 4096
data1:  .zero 4096
data2:  .zero 4096
ro_page: .zero 4096
code_buf: .zero 4096
u_data: .zero 4096
xpage_x: .zero 4096
xpage_y: .zero 4096
xpage_z: .zero 4096
loop_p: .zero 4096
loop_q: .zero 4096
