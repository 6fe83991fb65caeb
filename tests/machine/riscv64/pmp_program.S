# A bare-metal program for machine_sys_tests: physical memory protection (privileged spec 3.7)
# under a real engine. M-mode programs PMP entries of every kind (TOR, NA4, NAPOT, one locked),
# then makes M- and S-mode loads, stores and fetches whose outcome the spec fixes, including the
# page-table walker's own accesses (checked as S-mode accesses) and a PMP change after a cached
# translation. Every trap goes to M (nothing is delegated): the handler records mcause and mtval
# in the slot s9 points at, skips the faulting instruction (a fetch fault returns to ra), and an
# ecall from S resumes M at s10. A slot left 0 means "no fault". s11 holds `results`, s6 the number
# of slots; `expected` follows `results`.
        .option norvc
        .option norelax                 # no gp-relative addresses: gp is never set

        .equ PMP_R, 0x01
        .equ PMP_W, 0x02
        .equ PMP_X, 0x04
        .equ PMP_TOR, 0x08
        .equ PMP_NA4, 0x10
        .equ PMP_NAPOT, 0x18
        .equ PMP_L, 0x80
        .equ PTE_VRWXAD, 0xcf           # V R W X A D
        .equ PTE_VRWX, 0x0f             # A = 0: the walker must write the PTE to set it

        # Physical pages above the program (all below 0x80100000, which entry 5 covers RWX).
        .equ DATA, 0x80100000           # entry 3: NAPOT, 4 KiB, R
        .equ SPLIT, 0x80101000          # entry 1: TOR [SPLIT, SPLIT + 0x800) RW; entry 2: NA4 at
                                        # SPLIT + 0x800, R; the rest of the page: no entry
        .equ LOCKED, 0x80102000         # entry 4: NAPOT, 4 KiB, R, locked
        .equ NOMATCH, 0x80103000        # no entry
        .equ PT, 0x80104000             # the Sv39 root table; entry 6: NAPOT, 4 KiB, R

        # pmpcfg0, byte i = entry i.
        .equ CFG0, (PMP_TOR | PMP_R | PMP_W) << 8 | (PMP_NA4 | PMP_R) << 16 | (PMP_NAPOT | PMP_R) << 24
        .equ CFG1, (PMP_NAPOT | PMP_R | PMP_L) | (PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 8 | (PMP_NAPOT | PMP_R) << 16

        # Result slots (8 bytes each; a fault takes two: cause, tval).
        .equ R_M_NOPMP, 0               # M load, no entry active
        .equ R_S_NOPMP, 2               # S load, no entry active
        .equ R_CFG, 4                   # pmpcfg0 read back
        .equ R_M_LOCKED_ST, 5           # M store into a locked R entry
        .equ R_M_LOCKED_LD, 7           # M load from it
        .equ R_M_UNLOCKED_ST, 9         # M store into an unlocked R entry
        .equ R_LOCKED_ADDR, 11          # pmpaddr4 after a write (locked)
        .equ R_LOCKED_CFG, 12           # pmpcfg0 after trying to clear entry 4
        .equ R_S_LD, 13                 # S load from the R entry
        .equ R_S_LD_VALUE, 15
        .equ R_S_ST, 16                 # S store into it
        .equ R_S_TOR_ST, 18             # S store into the TOR RW range
        .equ R_S_TOR_VALUE, 20
        .equ R_S_NA4_ST, 21             # S store into the NA4 R word
        .equ R_S_NA4_LD, 23
        .equ R_S_SPLIT_REST, 25         # S load from the unmatched rest of the split page
        .equ R_S_NOMATCH, 27            # S load where no entry matches
        .equ R_S_FETCH, 29              # S fetch from the R (not X) entry
        .equ R_S_VM_LD, 31              # Sv39: load through a PTE in the R table page
        .equ R_S_VM_VALUE, 33
        .equ R_S_VM_PTE_READ, 34        # Sv39: the next-level table where no entry matches
        .equ R_S_VM_PTE_WRITE, 36       # Sv39: setting A in the R-only table page
        .equ R_S_CACHED, 38             # Sv39: the R entry made inaccessible after a cached load
        .equ R_COUNT, 40

# record REG, SLOT
.macro record reg, slot
        sd      \reg, (\slot * 8)(s11)
.endm
# expect_fault SLOT: the next trap's mcause/mtval go to SLOT, SLOT + 1
.macro expect_fault slot
        addi    s9, s11, \slot * 8
.endm
# enter_s LABEL: run LABEL in S-mode; its ecall resumes here in M
.macro enter_s label
        la      t0, \label
        csrw    mepc, t0
        li      t0, 3 << 11
        csrc    mstatus, t0
        li      t0, 1 << 11
        csrs    mstatus, t0                     # MPP = S
        la      s10, 1f
        mret
1:
.endm

        .text
        .globl _start
_start:
        la      s11, results
        li      s6, R_COUNT
        la      t0, mtrap
        csrw    mtvec, t0
        la      s9, scratch

        # No entry active: M and S may access everything (S as on QEMU, see pmp.h).
        expect_fault R_M_NOPMP
        li      t0, DATA
        ld      t1, 0(t0)
        enter_s s_nopmp

        # Program the entries (pmpaddr holds address bits 55:2; NAPOT: trailing ones give the size).
        li      t0, SPLIT >> 2
        csrw    pmpaddr0, t0                    # entry 0 stays off: the TOR base of entry 1
        li      t0, (SPLIT + 0x800) >> 2
        csrw    pmpaddr1, t0
        csrw    pmpaddr2, t0                    # NA4: the 4 bytes at SPLIT + 0x800
        li      t0, (DATA >> 2) | 0x1ff         # 4 KiB = 2^(3 + 9)
        csrw    pmpaddr3, t0
        li      t0, (LOCKED >> 2) | 0x1ff
        csrw    pmpaddr4, t0
        li      t0, (0x80000000 >> 2) | 0x1ffff # 1 MiB: the program
        csrw    pmpaddr5, t0
        li      t0, (PT >> 2) | 0x1ff
        csrw    pmpaddr6, t0
        li      t0, CFG1 << 32 | CFG0
        csrw    pmpcfg0, t0
        csrr    t1, pmpcfg0
        record  t1, R_CFG

        # M: a locked entry binds M too; an unlocked one does not.
        expect_fault R_M_LOCKED_ST
        li      t0, LOCKED
        sd      t0, 0(t0)
        expect_fault R_M_LOCKED_LD
        ld      t1, 0(t0)
        expect_fault R_M_UNLOCKED_ST
        li      t0, DATA
        li      t1, 0x1234
        sd      t1, 0(t0)
        # A locked entry ignores writes to its address and configuration.
        csrw    pmpaddr4, zero
        csrr    t1, pmpaddr4
        record  t1, R_LOCKED_ADDR
        li      t0, (CFG1 & ~0xff) << 32 | CFG0
        csrw    pmpcfg0, t0
        csrr    t1, pmpcfg0
        record  t1, R_LOCKED_CFG

        enter_s s_bare

        # Sv39 with the root table at PT (M writes it: no locked entry covers it):
        # root[2] = 0x80000000 as a 1 GiB leaf with A and D (the program's own mapping);
        # root[3] = a pointer to a table at NOMATCH (S may not read it);
        # root[4] = 0x80000000 as a 1 GiB leaf without A (the walker must write PT to set it).
        li      t0, PT
        li      t1, (0x80000000 >> 12) << 10 | PTE_VRWXAD
        sd      t1, 16(t0)
        li      t1, (NOMATCH >> 12) << 10 | 1
        sd      t1, 24(t0)
        li      t1, (0x80000000 >> 12) << 10 | PTE_VRWX
        sd      t1, 32(t0)
        li      t0, 8 << 60 | (PT >> 12)
        csrw    satp, t0
        sfence.vma
        enter_s s_vm

        # Take S's read permission away from DATA (entry 3 off) after S cached its translation.
        li      t0, (CFG1 << 32) | (CFG0 & ~(0xff << 24))
        csrw    pmpcfg0, t0
        enter_s s_vm_cached

        csrw    satp, zero
1:      wfi
        j       1b

# ---- S-mode parts (each ends with an ecall back to M) ----
s_nopmp:
        expect_fault R_S_NOPMP
        li      t0, DATA
        ld      t1, 0(t0)
        ecall

s_bare:
        expect_fault R_S_LD
        li      t0, DATA
        ld      t1, 0(t0)
        record  t1, R_S_LD_VALUE
        expect_fault R_S_ST
        sd      t1, 0(t0)
        expect_fault R_S_TOR_ST
        li      t0, SPLIT
        li      t1, 0x5678
        sd      t1, 0(t0)
        ld      t2, 0(t0)
        record  t2, R_S_TOR_VALUE
        expect_fault R_S_NA4_ST
        li      t0, SPLIT + 0x800
        sw      t1, 0(t0)
        expect_fault R_S_NA4_LD
        lw      t1, 0(t0)
        expect_fault R_S_SPLIT_REST
        lw      t1, 4(t0)
        expect_fault R_S_NOMATCH
        li      t0, NOMATCH
        ld      t1, 0(t0)
        expect_fault R_S_FETCH
        li      t0, DATA
        jalr    ra, t0                          # the handler returns to ra
        ecall

s_vm:
        expect_fault R_S_VM_LD
        li      t0, DATA                        # through root[2]
        ld      t1, 0(t0)
        record  t1, R_S_VM_VALUE
        expect_fault R_S_VM_PTE_READ
        li      t0, 0xc0000000                  # root[3] -> a table S may not read
        ld      t1, 0(t0)
        expect_fault R_S_VM_PTE_WRITE
        li      t0, 0x100000000                 # root[4]: setting A needs a write to PT
        ld      t1, 0(t0)
        ecall

s_vm_cached:
        expect_fault R_S_CACHED
        li      t0, DATA
        ld      t1, 0(t0)
        ecall

# ---- M trap handler ----
mtrap:
        csrr    t5, mcause
        li      t6, 9                           # ecall from S: back to M's program
        bne     t5, t6, 1f
        jr      s10
1:      sd      t5, 0(s9)
        csrr    t6, mtval
        sd      t6, 8(s9)
        la      s9, scratch                     # a second trap must not overwrite this one
        li      t6, 1                           # instruction access fault: return to ra
        bne     t5, t6, 2f
        csrw    mepc, ra
        mret
2:      csrr    t6, mepc
        addi    t6, t6, 4
        csrw    mepc, t6
        mret

        .data
        .balign 8
scratch: .dword 0, 0
results:
        .fill R_COUNT, 8, 0
# What the privileged spec (3.7.1, and 4.3.2 step 2 and 7 for the walker's accesses) requires.
expected:
        .dword 0, 0                     # M, no entry active: allowed
        .dword 0, 0                     # S, no entry active: allowed (no PMP in use)
        .dword CFG1 << 32 | CFG0        # every field written is kept (no W without R here)
        .dword 7, LOCKED                # M store, locked R entry: store access fault
        .dword 0, 0                     # M load, locked R entry: allowed
        .dword 0, 0                     # M store, unlocked R entry: M is not checked
        .dword (LOCKED >> 2) | 0x1ff    # locked: the write to pmpaddr4 is ignored
        .dword CFG1 << 32 | CFG0        # locked: entry 4's configuration byte is unchanged
        .dword 0, 0                     # S load, R entry: allowed
        .dword 0x1234                   # ... and sees M's store
        .dword 7, DATA                  # S store, R entry: store access fault
        .dword 0, 0                     # S store, TOR RW range: allowed
        .dword 0x5678                   # ... and reads it back
        .dword 7, SPLIT + 0x800         # S store, NA4 R word: store access fault
        .dword 0, 0                     # S load, NA4 R word: allowed
        .dword 5, SPLIT + 0x804         # S load, no entry (an entry exists): load access fault
        .dword 5, NOMATCH               # the same on a page no entry touches
        .dword 1, DATA                  # S fetch, R without X: instruction access fault
        .dword 0, 0                     # Sv39 load through a PTE S may read: allowed
        .dword 0x1234
        .dword 5, 0xc0000000            # the walker may not read the next table: access fault,
                                        # with the load's cause and address (not a page fault)
        .dword 5, 0x100000000           # the walker may not set A in a read-only table: the same
        .dword 5, DATA                  # entry 3 turned off: the cached translation is not used
