# Every instruction form polyvm's RISC-V64 decoder knows, with edge-case operands. Assembled with
# riscv64-linux-gnu-as -march=rv64gc_zba_zbb_zbs and dumped by objdump -M no-aliases at build time;
# decode_objdump_test.cpp checks each line and that every decode-table row occurs here.
	.option norelax
	.text

	.option norvc
# ---- RV64I ----
	lui	zero, 0
	lui	ra, 0xfffff
	lui	t6, 0x80000
	lui	a0, 0x7ffff
	auipc	sp, 0
	auipc	t6, 0xfffff
	auipc	a0, 0x80000
	jal	ra, .
	jal	zero, .-1048576
	jal	t0, .+1048574
	jal	t6, .+2
	jalr	ra, 0(a0)
	jalr	zero, 0(ra)
	jalr	t6, -2048(t6)
	jalr	t0, 2047(zero)
	beq	a0, a1, .-4096
	bne	t6, zero, .+4094
	blt	zero, t6, .+2
	bge	s0, s1, .-2
	bltu	a0, a1, .+16
	bgeu	ra, sp, .
	lb	a0, -2048(a1)
	lh	t6, 2047(zero)
	lw	zero, 0(sp)
	ld	ra, -1(t6)
	lbu	s11, 1(s0)
	lhu	a0, -2048(sp)
	lwu	t6, 2047(t6)
	sb	a0, -2048(a1)
	sh	zero, 2047(t6)
	sw	t6, 0(zero)
	sd	ra, -1(sp)
	addi	a0, a1, -2048
	addi	zero, zero, 0
	addi	t6, t6, 2047
	slti	a0, a1, -1
	sltiu	a0, a1, 2047
	xori	t6, zero, -2048
	ori	s0, s1, 1
	andi	a0, a1, -1
	slli	a0, a1, 63
	slli	t6, zero, 0
	srli	a0, a1, 63
	srli	s1, s0, 1
	srai	a0, a1, 63
	srai	t6, t6, 0
	add	a0, a1, a2
	add	zero, t6, zero
	sub	t6, zero, t6
	sll	a0, a1, a2
	slt	s0, s1, s2
	sltu	a0, zero, a1
	xor	t3, t4, t5
	srl	a0, a1, a2
	sra	a7, a6, a5
	or	a0, a1, a2
	and	a0, a1, a2
	addiw	a0, a1, -2048
	addiw	t6, zero, 2047
	slliw	a0, a1, 31
	slliw	a0, a1, 0
	srliw	a0, a1, 31
	sraiw	t6, t6, 31
	sraiw	a0, a1, 1
	addw	a0, a1, a2
	subw	t6, zero, t6
	sllw	a0, a1, a2
	srlw	a0, a1, a2
	sraw	a0, a1, a2
	fence	iorw, iorw
	fence	rw, rw
	fence	r, r
	fence	w, w
	fence	i, o
	fence	ow, ir
	fence	r, w
	fence	w, r
	fence.tso
	ecall
	ebreak

# ---- Zifencei ----
	fence.i

# ---- Zicsr ----
	csrrw	a0, fflags, a1
	csrrw	zero, frm, t6
	csrrw	t6, fcsr, zero
	csrrs	a0, fflags, zero
	csrrs	a0, frm, a1
	csrrs	zero, fcsr, a1
	csrrs	a0, cycle, zero
	csrrs	t6, time, zero
	csrrs	a0, instret, zero
	csrrc	a0, fflags, a1
	csrrc	zero, frm, zero
	csrrc	a0, fcsr, t6
	csrrwi	a0, fflags, 0
	csrrwi	zero, frm, 31
	csrrwi	t6, fcsr, 17
	csrrsi	a0, fflags, 31
	csrrsi	a0, cycle, 0
	csrrsi	zero, frm, 1
	csrrci	a0, fcsr, 0
	csrrci	t6, fflags, 31
	csrrci	a0, time, 0

# ---- privileged (decoded; illegal in user mode) ----
	wfi
	mret
	sret
	sfence.vma	zero, zero
	sfence.vma	a0, a1

# ---- M ----
	mul	a0, a1, a2
	mulh	t6, zero, t6
	mulhsu	a0, a1, a2
	mulhu	a0, a1, a2
	div	a0, a1, a2
	divu	zero, t6, s0
	rem	a0, a1, a2
	remu	a0, a1, a2
	mulw	a0, a1, a2
	divw	t6, t6, t6
	divuw	a0, a1, a2
	remw	a0, a1, a2
	remuw	a0, zero, a2

# ---- A ----
	lr.w	a0, (a1)
	lr.w.aq	zero, (t6)
	lr.w.rl	t6, (zero)
	lr.w.aqrl	a0, (sp)
	sc.w	a0, a1, (a2)
	sc.w.aq	a0, a1, (a2)
	sc.w.rl	zero, t6, (sp)
	sc.w.aqrl	t6, zero, (a0)
	amoswap.w	a0, a1, (a2)
	amoadd.w.aq	a0, a1, (a2)
	amoxor.w.rl	a0, a1, (a2)
	amoand.w.aqrl	a0, a1, (a2)
	amoor.w	zero, t6, (sp)
	amomin.w	t6, zero, (a0)
	amomax.w	a0, a1, (a2)
	amominu.w	a0, a1, (a2)
	amomaxu.w	a0, a1, (a2)
	lr.d	a0, (a1)
	lr.d.aqrl	t6, (zero)
	sc.d	a0, a1, (a2)
	sc.d.aq	t6, zero, (sp)
	amoswap.d.rl	a0, a1, (a2)
	amoadd.d	a0, a1, (a2)
	amoxor.d	a0, a1, (a2)
	amoand.d	a0, a1, (a2)
	amoor.d.aqrl	a0, a1, (a2)
	amomin.d	a0, a1, (a2)
	amomax.d.aq	t6, t6, (t6)
	amominu.d	a0, a1, (a2)
	amomaxu.d.rl	zero, zero, (zero)

# ---- F ----
	flw	fa0, -2048(a1)
	flw	ft11, 2047(zero)
	fsw	ft0, 0(sp)
	fsw	fs11, -1(t6)
	fmadd.s	fa0, fa1, fa2, fa3
	fmadd.s	ft0, ft1, ft2, ft3, rne
	fmsub.s	ft11, fs11, fa7, ft8, rtz
	fnmsub.s	fa0, fa1, fa2, fa3, rdn
	fnmadd.s	fa0, fa1, fa2, fa3, rup
	fadd.s	fa0, fa1, fa2
	fadd.s	fa0, fa1, fa2, rmm
	fsub.s	ft0, ft1, ft11, rne
	fmul.s	fs0, fs1, fs2
	fdiv.s	fa0, fa1, fa2, rtz
	fsqrt.s	fa0, fa1
	fsqrt.s	fa0, fa1, rup
	fsgnj.s	fa0, fa1, fa2
	fsgnjn.s	ft11, ft0, fs11
	fsgnjx.s	fa0, fa1, fa1
	fmin.s	fa0, fa1, fa2
	fmax.s	fa0, fa1, fa2
	fcvt.w.s	a0, fa1
	fcvt.w.s	zero, ft11, rtz
	fcvt.wu.s	a0, fa1, rne
	fmv.x.w	a0, fa1
	fmv.x.w	t6, ft0
	feq.s	a0, fa1, fa2
	flt.s	t6, ft0, ft11
	fle.s	zero, fa1, fa2
	fclass.s	a0, fa1
	fcvt.s.w	fa0, a1
	fcvt.s.w	fa0, zero, rmm
	fcvt.s.wu	fa0, a1, rdn
	fmv.w.x	fa0, a1
	fmv.w.x	ft11, zero
	fcvt.l.s	a0, fa1
	fcvt.l.s	a0, fa1, rup
	fcvt.lu.s	t6, ft11, rtz
	fcvt.s.l	fa0, a1
	fcvt.s.lu	fa0, t6, rne

# ---- D ----
	fld	fa0, -2048(a1)
	fld	ft11, 2047(zero)
	fsd	ft0, 0(sp)
	fsd	fs11, -1(t6)
	fmadd.d	fa0, fa1, fa2, fa3
	fmsub.d	ft11, fs11, fa7, ft8, rmm
	fnmsub.d	fa0, fa1, fa2, fa3, rtz
	fnmadd.d	fa0, fa1, fa2, fa3, rne
	fadd.d	fa0, fa1, fa2
	fsub.d	fa0, fa1, fa2, rdn
	fmul.d	ft0, ft1, ft11, rup
	fdiv.d	fa0, fa1, fa2
	fsqrt.d	fa0, fa1, rmm
	fsgnj.d	fa0, fa1, fa2
	fsgnjn.d	fa0, fa1, fa2
	fsgnjx.d	ft11, ft0, fs11
	fmin.d	fa0, fa1, fa2
	fmax.d	fa0, fa1, fa2
	fcvt.s.d	fa0, fa1
	fcvt.s.d	fa0, fa1, rtz
	fcvt.d.s	fa0, fa1
	feq.d	a0, fa1, fa2
	flt.d	a0, fa1, fa2
	fle.d	t6, ft0, ft11
	fclass.d	zero, fa1
	fcvt.w.d	a0, fa1
	fcvt.w.d	a0, fa1, rtz
	fcvt.wu.d	t6, ft11, rmm
	fcvt.d.w	fa0, a1
	fcvt.d.wu	ft11, zero
	fcvt.l.d	a0, fa1, rne
	fcvt.lu.d	a0, fa1
	fmv.x.d	a0, fa1
	fcvt.d.l	fa0, a1
	fcvt.d.l	fa0, a1, rdn
	fcvt.d.lu	fa0, t6, rup
	fmv.d.x	ft11, zero

# ---- Zba ----
	add.uw	a0, a1, a2
	add.uw	t6, zero, t6
	sh1add	a0, a1, a2
	sh2add	a0, a1, a2
	sh3add	t6, zero, t6
	sh1add.uw	a0, a1, a2
	sh2add.uw	a0, a1, a2
	sh3add.uw	a0, a1, a2
	slli.uw	a0, a1, 63
	slli.uw	t6, zero, 0

# ---- Zbb ----
	andn	a0, a1, a2
	orn	t6, zero, t6
	xnor	a0, a1, a2
	clz	a0, a1
	clzw	t6, zero
	ctz	a0, a1
	ctzw	a0, a1
	cpop	a0, a1
	cpopw	a0, a1
	max	a0, a1, a2
	maxu	a0, a1, a2
	min	a0, a1, a2
	minu	t6, zero, t6
	sext.b	a0, a1
	sext.h	t6, zero
	zext.h	a0, a1
	rol	a0, a1, a2
	rolw	a0, a1, a2
	ror	a0, a1, a2
	rorw	t6, zero, t6
	rori	a0, a1, 63
	rori	a0, a1, 0
	roriw	a0, a1, 31
	roriw	t6, zero, 0
	orc.b	a0, a1
	rev8	t6, zero

# ---- Zbs ----
	bclr	a0, a1, a2
	bclri	a0, a1, 63
	bext	t6, zero, t6
	bexti	a0, a1, 0
	binv	a0, a1, a2
	binvi	a0, a1, 32
	bset	a0, a1, a2
	bseti	t6, zero, 63

# ---- C (RV64C): every form, immediates at their scrambled corners ----
	.option rvc
	c.addi4spn	a0, sp, 4
	c.addi4spn	s0, sp, 1020
	c.addi4spn	a5, sp, 8
	c.addi4spn	s1, sp, 16
	c.addi4spn	a2, sp, 32
	c.addi4spn	a3, sp, 64
	c.addi4spn	a4, sp, 512
	c.fld	fs0, 0(s0)
	c.fld	fa5, 248(a5)
	c.fld	fa0, 8(a1)
	c.fld	fa1, 64(a2)
	c.fld	fa2, 128(a2)
	c.lw	a0, 0(a5)
	c.lw	s0, 124(s0)
	c.lw	a1, 4(a2)
	c.lw	a1, 8(a2)
	c.lw	a1, 64(a2)
	c.ld	s0, 248(a5)
	c.ld	a5, 0(s0)
	c.ld	a1, 8(a2)
	c.ld	a1, 64(a2)
	c.ld	a1, 128(a2)
	c.fsd	fs0, 248(a5)
	c.fsd	fa5, 0(s0)
	c.fsd	fa1, 136(a2)
	c.sw	s1, 124(s0)
	c.sw	a5, 0(a5)
	c.sw	a1, 68(a2)
	c.sd	s1, 0(s0)
	c.sd	a5, 248(a5)
	c.sd	a1, 136(a2)
	c.addi	zero, 0
	c.addi	a0, 1
	c.addi	t6, -32
	c.addi	ra, 31
	c.addi	a0, -1
	c.addi	sp, 16
	c.addiw	a0, 0
	c.addiw	t6, -32
	c.addiw	ra, 31
	c.li	a0, 0
	c.li	t6, -32
	c.li	ra, 31
	c.li	zero, 1
	c.addi16sp	sp, -512
	c.addi16sp	sp, 496
	c.addi16sp	sp, 16
	c.addi16sp	sp, 32
	c.addi16sp	sp, 64
	c.addi16sp	sp, 128
	c.addi16sp	sp, 256
	c.addi16sp	sp, -16
	c.lui	a0, 1
	c.lui	t6, 0x1f
	c.lui	ra, 0xfffe0
	c.lui	s11, 0xfffff
	c.lui	gp, 0x10
	c.srli	s0, 1
	c.srli	a5, 63
	c.srli	a0, 32
	c.srai	s0, 1
	c.srai	a5, 63
	c.srai	a0, 31
	c.andi	s0, 0
	c.andi	a5, -32
	c.andi	a0, 31
	c.sub	s0, a5
	c.xor	a5, s0
	c.or	a0, a1
	c.and	a2, a3
	c.subw	a4, a5
	c.addw	s1, s0
	c.j	.-2048
	c.j	.+2046
	c.j	.+2
	c.j	.+16
	c.j	.+32
	c.j	.+64
	c.j	.+128
	c.j	.+256
	c.j	.+512
	c.j	.+1024
	c.j	.-2
	c.beqz	s0, .-256
	c.beqz	a5, .+254
	c.beqz	a0, .+2
	c.beqz	a0, .+8
	c.bnez	a5, .+254
	c.bnez	s0, .-256
	c.bnez	a1, .+32
	c.bnez	a1, .+64
	c.bnez	a1, .+128
	c.slli	a0, 1
	c.slli	t6, 63
	c.slli	ra, 32
	c.slli	zero, 1
	c.fldsp	fa0, 0(sp)
	c.fldsp	ft11, 504(sp)
	c.fldsp	fs0, 8(sp)
	c.fldsp	fs0, 64(sp)
	c.lwsp	a0, 0(sp)
	c.lwsp	t6, 252(sp)
	c.lwsp	ra, 4(sp)
	c.lwsp	ra, 32(sp)
	c.lwsp	ra, 64(sp)
	c.ldsp	ra, 0(sp)
	c.ldsp	t6, 504(sp)
	c.ldsp	a0, 8(sp)
	c.ldsp	a0, 32(sp)
	c.ldsp	a0, 64(sp)
	c.jr	ra
	c.jr	t6
	c.jr	t0
	c.mv	a0, a1
	c.mv	t6, ra
	c.mv	ra, t6
	c.ebreak
	c.jalr	ra
	c.jalr	t6
	c.jalr	t0
	c.add	a0, a1
	c.add	t6, ra
	c.add	ra, t6
	c.fsdsp	fa0, 0(sp)
	c.fsdsp	ft11, 504(sp)
	c.fsdsp	fs0, 8(sp)
	c.swsp	a0, 0(sp)
	c.swsp	t6, 252(sp)
	c.swsp	zero, 4(sp)
	c.swsp	ra, 64(sp)
	c.sdsp	ra, 0(sp)
	c.sdsp	t6, 504(sp)
	c.sdsp	zero, 8(sp)
	c.sdsp	a0, 64(sp)
# HINTs (rd = x0, or an operand that makes the operation a no-op): legal, executed as written
	c.addi	zero, 5
	c.addi	a0, 0
	c.li	zero, -1
	c.lui	zero, 1
	c.mv	zero, a1
	c.add	zero, a1
	c.slli	zero, 63
	c.slli64	a0
	c.srli64	s0
	c.srai64	a5
# The all-zero halfword: defined to be illegal.
	c.unimp
