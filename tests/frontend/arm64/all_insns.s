// Every A64 instruction form polyvm's integer/branch/system/load-store decoder knows, with edge-case
// operands. Assembled with aarch64-linux-gnu-as -march=armv8.2-a+crc+lse+rcpc and dumped by objdump
// -M no-aliases at build time; decode_objdump_test.cpp checks each line and that every row of
// insns.def occurs here.
	.text
// ---- data processing, immediate ----
	add	x0, x1, #0
	add	sp, sp, #4095
	add	w3, wsp, #1, lsl #12
	add	x30, x29, #0xfff, lsl #12
	adds	x0, sp, #12
	adds	wzr, w1, #4
	sub	sp, x2, #16
	sub	w5, w6, #0x800
	subs	xzr, x1, #1, lsl #12
	subs	w0, wsp, #7
	and	x0, x1, #0xff
	and	sp, x2, #0xfffffffffffffffe
	and	w3, w4, #0x55555555
	orr	w3, wzr, #0x80000001
	orr	x5, xzr, #0x3c3c3c3c3c3c3c3c
	eor	x0, x0, #0x1
	eor	wsp, w9, #0xffff0000
	ands	x7, x8, #0x7ffffffffffffffe
	ands	wzr, w2, #0x1
	movn	w0, #0
	movn	x1, #0xffff, lsl #48
	movz	x0, #1, lsl #16
	movz	w2, #0xabcd, lsl #16
	movz	xzr, #5
	movk	x3, #0x1234, lsl #32
	movk	w4, #0xffff
	adr	x0, .
	adr	x1, .+1048575
	adr	x30, .-1048576
	adrp	x1, .
	adrp	x2, .+0x1000
	adrp	x3, .-0x100000000
	sbfm	x0, x1, #3, #5
	sbfm	w0, w1, #31, #0
	bfm	x2, x3, #63, #63
	bfm	w2, w3, #1, #30
	ubfm	x0, x1, #61, #60
	ubfm	w4, wzr, #0, #7
	extr	x0, x1, x2, #7
	extr	w0, w1, w2, #31
	extr	x3, x3, x3, #0
// ---- data processing, register ----
	and	x0, x1, x2
	and	w0, w1, w2, lsl #31
	bic	x0, x1, x2, lsr #63
	orr	x0, xzr, x1
	orr	w3, w4, w5, asr #7
	orn	x3, x4, x5, ror #1
	eor	w6, w7, w8, ror #31
	eon	x6, x7, x8, lsl #0
	ands	x9, x10, x11, asr #2
	bics	wzr, w1, w2
	add	x0, x1, x2, lsl #3
	add	w0, w1, w2, lsr #31
	adds	x0, x1, x2, asr #63
	sub	xzr, x1, x2
	subs	w5, wzr, w6, lsl #1
	add	x0, sp, w2, uxtw #2
	add	x0, x1, w2, sxtb
	add	sp, x1, x2
	add	x0, x1, x2, uxtx
	add	x0, x1, x2, sxtx #4
	add	w0, wsp, w1
	add	w0, w1, w2, uxth #1
	add	wsp, w1, w2, uxtw #3
	adds	x3, sp, x4
	adds	x3, x5, w4, sxth #2
	sub	sp, sp, x1, lsl #4
	sub	x0, x1, w2, uxtb
	subs	w0, w1, w2, sxtw
	subs	xzr, sp, x9, lsl #1
	adc	x0, x1, x2
	adc	w0, wzr, w2
	adcs	x3, x4, x5
	sbc	w6, w7, w8
	sbcs	xzr, x1, x2
	ccmn	x0, x1, #0, eq
	ccmn	w2, #31, #15, nv
	ccmp	x0, #3, #4, ne
	ccmp	w0, w1, #15, lt
	ccmp	xzr, #0, #8, al
	ccmp	x5, x6, #2, cs
	csel	x0, x1, x2, eq
	csel	w3, wzr, w4, hi
	csinc	x0, x1, x2, eq
	csinc	w0, wzr, wzr, ne
	csinv	x3, x4, x5, ge
	csneg	w6, w7, w8, le
	csneg	x9, x10, x11, vs
	rbit	x0, x1
	rbit	w2, w3
	rev16	x4, x5
	rev16	w4, w5
	rev	w6, w7
	rev32	x8, x9
	rev	x10, x11
	clz	x0, xzr
	clz	w1, w2
	cls	x3, x4
	cls	w5, w6
	udiv	x0, x1, x2
	udiv	w0, w1, w2
	sdiv	x3, x4, x5
	sdiv	w3, w4, w5
	lslv	x0, x1, x2
	lsrv	w3, w4, w5
	asrv	x6, x7, x8
	rorv	w9, w10, w11
	crc32b	w0, w1, w2
	crc32h	w0, w1, w2
	crc32w	w0, w1, w2
	crc32x	w0, w1, x2
	crc32cb	w3, w4, w5
	crc32ch	w3, w4, w5
	crc32cw	w3, w4, w5
	crc32cx	w3, w4, x5
	madd	x0, x1, x2, x3
	madd	w0, w1, w2, wzr
	msub	x4, x5, x6, x7
	msub	w4, w5, w6, w7
	smaddl	x0, w1, w2, x3
	smsubl	x0, w1, w2, xzr
	umaddl	x4, w5, w6, x7
	umsubl	x4, w5, w6, x7
	smulh	x0, x1, x2
	umulh	x3, x4, x5
// ---- branches and exceptions ----
	b	.
	b	.+134217724
	b	.-134217728
	bl	.+8
	bl	.-8
	b.eq	.+4
	b.ne	.+16
	b.cs	.-16
	b.cc	.+1048572
	b.mi	.-1048576
	b.pl	.
	b.vs	.
	b.vc	.
	b.hi	.
	b.ls	.
	b.ge	.
	b.lt	.
	b.gt	.
	b.le	.
	b.al	.
	b.nv	.
	cbz	x0, .
	cbz	w1, .+1048572
	cbnz	x2, .-1048576
	cbnz	wzr, .+8
	tbz	w3, #5, .+12
	tbz	x3, #63, .-32768
	tbnz	x3, #40, .+32764
	tbnz	w0, #0, .
	br	x1
	br	xzr
	blr	x2
	blr	x30
	ret
	ret	x3
	svc	#0
	svc	#0xffff
	brk	#1
	brk	#0xf000
	hlt	#0
	hlt	#0xffff
	udf	#0
	udf	#65535
// ---- system ----
	hint	#0
	hint	#1
	hint	#0x22
	hint	#127
	clrex
	clrex	#3
	dsb	sy
	dsb	ish
	dsb	ishld
	dsb	oshst
	dsb	nsh
	dmb	ish
	dmb	ishst
	dmb	ishld
	dmb	ld
	dmb	st
	dmb	#0
	isb
	isb	#3
	mrs	x0, tpidr_el0
	msr	tpidr_el0, x1
	mrs	x2, tpidrro_el0
	mrs	x0, nzcv
	msr	nzcv, x3
	mrs	x4, fpcr
	msr	fpcr, x0
	mrs	x5, fpsr
	msr	fpsr, xzr
	mrs	x6, cntvct_el0
	mrs	x7, cntfrq_el0
	mrs	x0, dczid_el0
	mrs	x0, ctr_el0
	mrs	x1, midr_el1
	mrs	x1, mpidr_el1
	mrs	x1, revidr_el1
	mrs	x1, id_aa64pfr0_el1
	mrs	x1, id_aa64pfr1_el1
	mrs	x1, s3_0_c0_c4_4
	mrs	x1, id_aa64dfr0_el1
	mrs	x1, id_aa64dfr1_el1
	mrs	x1, id_aa64afr0_el1
	mrs	x1, id_aa64afr1_el1
	mrs	x1, id_aa64isar0_el1
	mrs	x1, id_aa64isar1_el1
	mrs	x1, id_aa64isar2_el1
	mrs	x1, id_aa64mmfr0_el1
	mrs	x1, id_aa64mmfr1_el1
	mrs	x1, id_aa64mmfr2_el1
	mrs	x3, s3_3_c15_c2_0
	sys	#3, c7, c4, #1, x0
	sys	#3, c7, c11, #1, x1
	sys	#3, c7, c5, #1, x2
	sys	#3, c7, c14, #1, x3
	sys	#0, c7, c5, #0, x4
// ---- exclusives, acquire/release, compare-and-swap ----
	stxrb	w0, w1, [x2]
	stxrh	w0, w1, [sp]
	stxr	w0, w1, [x2]
	stxr	w2, x0, [x1]
	stlxrb	w3, w4, [x5]
	stlxr	w3, x4, [x5]
	ldxrb	w0, [x1]
	ldxrh	w0, [x1]
	ldxr	w0, [x1]
	ldxr	x0, [sp]
	ldaxrb	w2, [x3]
	ldaxr	x2, [x3]
	stxp	w0, w1, w2, [x3]
	stxp	w0, x1, x2, [sp]
	stlxp	w0, x1, x2, [x3]
	ldxp	w0, w1, [x2]
	ldxp	x0, x1, [x2]
	ldaxp	x0, x1, [x2]
	stlrb	w0, [x1]
	stlrh	w0, [x1]
	stlr	w0, [x1]
	stlr	x0, [sp]
	ldarb	w0, [x1]
	ldarh	w0, [x1]
	ldar	w0, [x1]
	ldar	x0, [x1]
	casb	w0, w1, [x2]
	cash	w0, w1, [x2]
	cas	w0, w1, [x2]
	cas	x0, x1, [x2]
	casa	x0, x1, [x2]
	casl	w0, w1, [sp]
	casal	x0, x1, [x2]
	casalb	w3, w4, [x5]
	casp	x0, x1, x2, x3, [x4]
	casp	w0, w1, w2, w3, [x4]
	caspa	x4, x5, x6, x7, [sp]
	caspl	x30, xzr, x28, x29, [x1]
	caspal	w2, w3, w4, w5, [x6]
// ---- LSE atomics ----
	ldadd	x0, x1, [x2]
	ldaddal	w0, w1, [x2]
	ldaddb	w0, w1, [x2]
	ldaddah	w0, w1, [x2]
	ldaddl	x0, xzr, [sp]
	ldclr	w0, w1, [x2]
	ldclralb	w0, w1, [x2]
	ldeor	x3, x4, [x5]
	ldeorlh	w3, w4, [x5]
	ldset	w6, w7, [x8]
	ldseta	x6, x7, [x8]
	ldsmax	x0, x1, [x2]
	ldsmaxb	w0, w1, [x2]
	ldsmin	w0, w1, [x2]
	ldsminalh	w0, w1, [x2]
	ldumax	x0, x1, [x2]
	ldumaxl	w0, w1, [x2]
	ldumin	x0, x1, [x2]
	lduminab	w0, w1, [x2]
	swp	x0, x1, [x2]
	swpb	w0, w1, [sp]
	swpal	w0, w1, [x2]
	swplh	w3, w4, [x5]
	ldaprb	w0, [x1]
	ldaprh	w0, [x1]
	ldapr	w0, [x1]
	ldapr	x0, [sp]
// ---- loads and stores: one register ----
	strb	w0, [x21]
	strb	w0, [sp, #4095]
	strb	w0, [x30, #1]
	sturb	w0, [x21, #-256]
	sturb	w0, [sp, #255]
	sturb	w0, [x22]
	strb	w0, [x23], #-256
	strb	w0, [sp], #0
	strb	w0, [x24, #255]!
	strb	w0, [x25, #0]!
	strb	w0, [x21, x12]
	strb	w0, [sp, x12, lsl #0]
	strb	w0, [x21, w12, uxtw]
	strb	w0, [x21, w12, uxtw #0]
	strb	w0, [x21, w12, sxtw #0]
	strb	w0, [x21, x12, sxtx]
	strb	w0, [x21, xzr, sxtx #0]
	ldrb	w1, [x21]
	ldrb	w1, [sp, #4095]
	ldrb	w1, [x30, #1]
	ldurb	w1, [x21, #-256]
	ldurb	w1, [sp, #255]
	ldurb	w1, [x22]
	ldrb	w1, [x23], #-256
	ldrb	w1, [sp], #0
	ldrb	w1, [x24, #255]!
	ldrb	w1, [x25, #0]!
	ldrb	w1, [x21, x12]
	ldrb	w1, [sp, x12, lsl #0]
	ldrb	w1, [x21, w12, uxtw]
	ldrb	w1, [x21, w12, uxtw #0]
	ldrb	w1, [x21, w12, sxtw #0]
	ldrb	w1, [x21, x12, sxtx]
	ldrb	w1, [x21, xzr, sxtx #0]
	ldrsb	x2, [x21]
	ldrsb	x2, [sp, #4095]
	ldrsb	x2, [x30, #1]
	ldursb	x2, [x21, #-256]
	ldursb	x2, [sp, #255]
	ldursb	x2, [x22]
	ldrsb	x2, [x23], #-256
	ldrsb	x2, [sp], #0
	ldrsb	x2, [x24, #255]!
	ldrsb	x2, [x25, #0]!
	ldrsb	x2, [x21, x12]
	ldrsb	x2, [sp, x12, lsl #0]
	ldrsb	x2, [x21, w12, uxtw]
	ldrsb	x2, [x21, w12, uxtw #0]
	ldrsb	x2, [x21, w12, sxtw #0]
	ldrsb	x2, [x21, x12, sxtx]
	ldrsb	x2, [x21, xzr, sxtx #0]
	ldrsb	w3, [x21]
	ldrsb	w3, [sp, #4095]
	ldrsb	w3, [x30, #1]
	ldursb	w3, [x21, #-256]
	ldursb	w3, [sp, #255]
	ldursb	w3, [x22]
	ldrsb	w3, [x23], #-256
	ldrsb	w3, [sp], #0
	ldrsb	w3, [x24, #255]!
	ldrsb	w3, [x25, #0]!
	ldrsb	w3, [x21, x12]
	ldrsb	w3, [sp, x12, lsl #0]
	ldrsb	w3, [x21, w12, uxtw]
	ldrsb	w3, [x21, w12, uxtw #0]
	ldrsb	w3, [x21, w12, sxtw #0]
	ldrsb	w3, [x21, x12, sxtx]
	ldrsb	w3, [x21, xzr, sxtx #0]
	strh	w4, [x21]
	strh	w4, [sp, #8190]
	strh	w4, [x30, #2]
	sturh	w4, [x21, #-256]
	sturh	w4, [sp, #255]
	sturh	w4, [x22]
	strh	w4, [x23], #-256
	strh	w4, [sp], #0
	strh	w4, [x24, #255]!
	strh	w4, [x25, #0]!
	strh	w4, [x21, x12]
	strh	w4, [sp, x12, lsl #1]
	strh	w4, [x21, w12, uxtw]
	strh	w4, [x21, w12, uxtw #1]
	strh	w4, [x21, w12, sxtw #1]
	strh	w4, [x21, x12, sxtx]
	strh	w4, [x21, xzr, sxtx #1]
	ldrh	w5, [x21]
	ldrh	w5, [sp, #8190]
	ldrh	w5, [x30, #2]
	ldurh	w5, [x21, #-256]
	ldurh	w5, [sp, #255]
	ldurh	w5, [x22]
	ldrh	w5, [x23], #-256
	ldrh	w5, [sp], #0
	ldrh	w5, [x24, #255]!
	ldrh	w5, [x25, #0]!
	ldrh	w5, [x21, x12]
	ldrh	w5, [sp, x12, lsl #1]
	ldrh	w5, [x21, w12, uxtw]
	ldrh	w5, [x21, w12, uxtw #1]
	ldrh	w5, [x21, w12, sxtw #1]
	ldrh	w5, [x21, x12, sxtx]
	ldrh	w5, [x21, xzr, sxtx #1]
	ldrsh	x6, [x21]
	ldrsh	x6, [sp, #8190]
	ldrsh	x6, [x30, #2]
	ldursh	x6, [x21, #-256]
	ldursh	x6, [sp, #255]
	ldursh	x6, [x22]
	ldrsh	x6, [x23], #-256
	ldrsh	x6, [sp], #0
	ldrsh	x6, [x24, #255]!
	ldrsh	x6, [x25, #0]!
	ldrsh	x6, [x21, x12]
	ldrsh	x6, [sp, x12, lsl #1]
	ldrsh	x6, [x21, w12, uxtw]
	ldrsh	x6, [x21, w12, uxtw #1]
	ldrsh	x6, [x21, w12, sxtw #1]
	ldrsh	x6, [x21, x12, sxtx]
	ldrsh	x6, [x21, xzr, sxtx #1]
	ldrsh	w7, [x21]
	ldrsh	w7, [sp, #8190]
	ldrsh	w7, [x30, #2]
	ldursh	w7, [x21, #-256]
	ldursh	w7, [sp, #255]
	ldursh	w7, [x22]
	ldrsh	w7, [x23], #-256
	ldrsh	w7, [sp], #0
	ldrsh	w7, [x24, #255]!
	ldrsh	w7, [x25, #0]!
	ldrsh	w7, [x21, x12]
	ldrsh	w7, [sp, x12, lsl #1]
	ldrsh	w7, [x21, w12, uxtw]
	ldrsh	w7, [x21, w12, uxtw #1]
	ldrsh	w7, [x21, w12, sxtw #1]
	ldrsh	w7, [x21, x12, sxtx]
	ldrsh	w7, [x21, xzr, sxtx #1]
	str	w8, [x21]
	str	w8, [sp, #16380]
	str	w8, [x30, #4]
	stur	w8, [x21, #-256]
	stur	w8, [sp, #255]
	stur	w8, [x22]
	str	w8, [x23], #-256
	str	w8, [sp], #0
	str	w8, [x24, #255]!
	str	w8, [x25, #0]!
	str	w8, [x21, x12]
	str	w8, [sp, x12, lsl #2]
	str	w8, [x21, w12, uxtw]
	str	w8, [x21, w12, uxtw #2]
	str	w8, [x21, w12, sxtw #2]
	str	w8, [x21, x12, sxtx]
	str	w8, [x21, xzr, sxtx #2]
	ldr	w9, [x21]
	ldr	w9, [sp, #16380]
	ldr	w9, [x30, #4]
	ldur	w9, [x21, #-256]
	ldur	w9, [sp, #255]
	ldur	w9, [x22]
	ldr	w9, [x23], #-256
	ldr	w9, [sp], #0
	ldr	w9, [x24, #255]!
	ldr	w9, [x25, #0]!
	ldr	w9, [x21, x12]
	ldr	w9, [sp, x12, lsl #2]
	ldr	w9, [x21, w12, uxtw]
	ldr	w9, [x21, w12, uxtw #2]
	ldr	w9, [x21, w12, sxtw #2]
	ldr	w9, [x21, x12, sxtx]
	ldr	w9, [x21, xzr, sxtx #2]
	ldrsw	x10, [x21]
	ldrsw	x10, [sp, #16380]
	ldrsw	x10, [x30, #4]
	ldursw	x10, [x21, #-256]
	ldursw	x10, [sp, #255]
	ldursw	x10, [x22]
	ldrsw	x10, [x23], #-256
	ldrsw	x10, [sp], #0
	ldrsw	x10, [x24, #255]!
	ldrsw	x10, [x25, #0]!
	ldrsw	x10, [x21, x12]
	ldrsw	x10, [sp, x12, lsl #2]
	ldrsw	x10, [x21, w12, uxtw]
	ldrsw	x10, [x21, w12, uxtw #2]
	ldrsw	x10, [x21, w12, sxtw #2]
	ldrsw	x10, [x21, x12, sxtx]
	ldrsw	x10, [x21, xzr, sxtx #2]
	str	x11, [x21]
	str	x11, [sp, #32760]
	str	x11, [x30, #8]
	stur	x11, [x21, #-256]
	stur	x11, [sp, #255]
	stur	x11, [x22]
	str	x11, [x23], #-256
	str	x11, [sp], #0
	str	x11, [x24, #255]!
	str	x11, [x25, #0]!
	str	x11, [x21, x12]
	str	x11, [sp, x12, lsl #3]
	str	x11, [x21, w12, uxtw]
	str	x11, [x21, w12, uxtw #3]
	str	x11, [x21, w12, sxtw #3]
	str	x11, [x21, x12, sxtx]
	str	x11, [x21, xzr, sxtx #3]
	ldr	x12, [x21]
	ldr	x12, [sp, #32760]
	ldr	x12, [x30, #8]
	ldur	x12, [x21, #-256]
	ldur	x12, [sp, #255]
	ldur	x12, [x22]
	ldr	x12, [x23], #-256
	ldr	x12, [sp], #0
	ldr	x12, [x24, #255]!
	ldr	x12, [x25, #0]!
	ldr	x12, [x21, x12]
	ldr	x12, [sp, x12, lsl #3]
	ldr	x12, [x21, w12, uxtw]
	ldr	x12, [x21, w12, uxtw #3]
	ldr	x12, [x21, w12, sxtw #3]
	ldr	x12, [x21, x12, sxtx]
	ldr	x12, [x21, xzr, sxtx #3]
	str	b0, [x21]
	str	b0, [sp, #4095]
	str	b0, [x30, #1]
	stur	b0, [x21, #-256]
	stur	b0, [sp, #255]
	stur	b0, [x22]
	str	b0, [x23], #-256
	str	b0, [sp], #0
	str	b0, [x24, #255]!
	str	b0, [x25, #0]!
	str	b0, [x21, x12]
	str	b0, [sp, x12, lsl #0]
	str	b0, [x21, w12, uxtw]
	str	b0, [x21, w12, uxtw #0]
	str	b0, [x21, w12, sxtw #0]
	str	b0, [x21, x12, sxtx]
	str	b0, [x21, xzr, sxtx #0]
	ldr	b1, [x21]
	ldr	b1, [sp, #4095]
	ldr	b1, [x30, #1]
	ldur	b1, [x21, #-256]
	ldur	b1, [sp, #255]
	ldur	b1, [x22]
	ldr	b1, [x23], #-256
	ldr	b1, [sp], #0
	ldr	b1, [x24, #255]!
	ldr	b1, [x25, #0]!
	ldr	b1, [x21, x12]
	ldr	b1, [sp, x12, lsl #0]
	ldr	b1, [x21, w12, uxtw]
	ldr	b1, [x21, w12, uxtw #0]
	ldr	b1, [x21, w12, sxtw #0]
	ldr	b1, [x21, x12, sxtx]
	ldr	b1, [x21, xzr, sxtx #0]
	str	q2, [x21]
	str	q2, [sp, #65520]
	str	q2, [x30, #16]
	stur	q2, [x21, #-256]
	stur	q2, [sp, #255]
	stur	q2, [x22]
	str	q2, [x23], #-256
	str	q2, [sp], #0
	str	q2, [x24, #255]!
	str	q2, [x25, #0]!
	str	q2, [x21, x12]
	str	q2, [sp, x12, lsl #4]
	str	q2, [x21, w12, uxtw]
	str	q2, [x21, w12, uxtw #4]
	str	q2, [x21, w12, sxtw #4]
	str	q2, [x21, x12, sxtx]
	str	q2, [x21, xzr, sxtx #4]
	ldr	q3, [x21]
	ldr	q3, [sp, #65520]
	ldr	q3, [x30, #16]
	ldur	q3, [x21, #-256]
	ldur	q3, [sp, #255]
	ldur	q3, [x22]
	ldr	q3, [x23], #-256
	ldr	q3, [sp], #0
	ldr	q3, [x24, #255]!
	ldr	q3, [x25, #0]!
	ldr	q3, [x21, x12]
	ldr	q3, [sp, x12, lsl #4]
	ldr	q3, [x21, w12, uxtw]
	ldr	q3, [x21, w12, uxtw #4]
	ldr	q3, [x21, w12, sxtw #4]
	ldr	q3, [x21, x12, sxtx]
	ldr	q3, [x21, xzr, sxtx #4]
	str	h4, [x21]
	str	h4, [sp, #8190]
	str	h4, [x30, #2]
	stur	h4, [x21, #-256]
	stur	h4, [sp, #255]
	stur	h4, [x22]
	str	h4, [x23], #-256
	str	h4, [sp], #0
	str	h4, [x24, #255]!
	str	h4, [x25, #0]!
	str	h4, [x21, x12]
	str	h4, [sp, x12, lsl #1]
	str	h4, [x21, w12, uxtw]
	str	h4, [x21, w12, uxtw #1]
	str	h4, [x21, w12, sxtw #1]
	str	h4, [x21, x12, sxtx]
	str	h4, [x21, xzr, sxtx #1]
	ldr	h5, [x21]
	ldr	h5, [sp, #8190]
	ldr	h5, [x30, #2]
	ldur	h5, [x21, #-256]
	ldur	h5, [sp, #255]
	ldur	h5, [x22]
	ldr	h5, [x23], #-256
	ldr	h5, [sp], #0
	ldr	h5, [x24, #255]!
	ldr	h5, [x25, #0]!
	ldr	h5, [x21, x12]
	ldr	h5, [sp, x12, lsl #1]
	ldr	h5, [x21, w12, uxtw]
	ldr	h5, [x21, w12, uxtw #1]
	ldr	h5, [x21, w12, sxtw #1]
	ldr	h5, [x21, x12, sxtx]
	ldr	h5, [x21, xzr, sxtx #1]
	str	s6, [x21]
	str	s6, [sp, #16380]
	str	s6, [x30, #4]
	stur	s6, [x21, #-256]
	stur	s6, [sp, #255]
	stur	s6, [x22]
	str	s6, [x23], #-256
	str	s6, [sp], #0
	str	s6, [x24, #255]!
	str	s6, [x25, #0]!
	str	s6, [x21, x12]
	str	s6, [sp, x12, lsl #2]
	str	s6, [x21, w12, uxtw]
	str	s6, [x21, w12, uxtw #2]
	str	s6, [x21, w12, sxtw #2]
	str	s6, [x21, x12, sxtx]
	str	s6, [x21, xzr, sxtx #2]
	ldr	s7, [x21]
	ldr	s7, [sp, #16380]
	ldr	s7, [x30, #4]
	ldur	s7, [x21, #-256]
	ldur	s7, [sp, #255]
	ldur	s7, [x22]
	ldr	s7, [x23], #-256
	ldr	s7, [sp], #0
	ldr	s7, [x24, #255]!
	ldr	s7, [x25, #0]!
	ldr	s7, [x21, x12]
	ldr	s7, [sp, x12, lsl #2]
	ldr	s7, [x21, w12, uxtw]
	ldr	s7, [x21, w12, uxtw #2]
	ldr	s7, [x21, w12, sxtw #2]
	ldr	s7, [x21, x12, sxtx]
	ldr	s7, [x21, xzr, sxtx #2]
	str	d8, [x21]
	str	d8, [sp, #32760]
	str	d8, [x30, #8]
	stur	d8, [x21, #-256]
	stur	d8, [sp, #255]
	stur	d8, [x22]
	str	d8, [x23], #-256
	str	d8, [sp], #0
	str	d8, [x24, #255]!
	str	d8, [x25, #0]!
	str	d8, [x21, x12]
	str	d8, [sp, x12, lsl #3]
	str	d8, [x21, w12, uxtw]
	str	d8, [x21, w12, uxtw #3]
	str	d8, [x21, w12, sxtw #3]
	str	d8, [x21, x12, sxtx]
	str	d8, [x21, xzr, sxtx #3]
	ldr	d9, [x21]
	ldr	d9, [sp, #32760]
	ldr	d9, [x30, #8]
	ldur	d9, [x21, #-256]
	ldur	d9, [sp, #255]
	ldur	d9, [x22]
	ldr	d9, [x23], #-256
	ldr	d9, [sp], #0
	ldr	d9, [x24, #255]!
	ldr	d9, [x25, #0]!
	ldr	d9, [x21, x12]
	ldr	d9, [sp, x12, lsl #3]
	ldr	d9, [x21, w12, uxtw]
	ldr	d9, [x21, w12, uxtw #3]
	ldr	d9, [x21, w12, sxtw #3]
	ldr	d9, [x21, x12, sxtx]
	ldr	d9, [x21, xzr, sxtx #3]
	prfm	pldl1keep, [x21]
	prfm	pstl3strm, [sp, #32760]
	prfm	plil2keep, [x21, x12, lsl #3]
	prfm	pldl1strm, [x21, w12, sxtw]
// unprivileged loads and stores (ordinary accesses at EL0)
	sttrb	w0, [x21, #-256]
	sttrb	w30, [sp, #255]
	ldtrb	w1, [x22]
	ldtrsb	x2, [x21, #-1]
	ldtrsb	w3, [sp, #17]
	sttrh	w4, [x21, #-256]
	ldtrh	w5, [x22, #254]
	ldtrsh	x6, [sp]
	ldtrsh	wzr, [x21, #3]
	sttr	w7, [x21, #-4]
	ldtr	w8, [x22, #255]
	ldtrsw	x9, [sp, #-256]
	sttr	xzr, [x21, #8]
	ldtr	x10, [x22]
	ldtr	x30, [sp, #-8]
	prfum	pldl2keep, [x21, #-256]
	prfum	pstl1keep, [x21]
// ---- literal ----
	ldr	w0, .+8
	ldr	x1, .-1048576
	ldrsw	x2, .+1048572
	prfm	pldl1keep, .
	ldr	s3, .+4
	ldr	d4, .
	ldr	q5, .-4
// ---- pairs ----
	stp	w0, w1, [x21]
	stp	w0, w1, [sp, #-256]
	stp	w0, w1, [x22, #252]
	stp	w0, w1, [x23], #-256
	stp	w0, w1, [sp], #0
	stp	w0, w1, [sp, #-8]!
	stp	w0, w1, [x24, #0]!
	stnp	w0, w1, [x25]
	stnp	w0, w1, [x25, #-256]
	ldp	w2, w3, [x21]
	ldp	w2, w3, [sp, #-256]
	ldp	w2, w3, [x22, #252]
	ldp	w2, w3, [x23], #-256
	ldp	w2, w3, [sp], #0
	ldp	w2, w3, [sp, #-8]!
	ldp	w2, w3, [x24, #0]!
	ldnp	w2, w3, [x25]
	ldnp	w2, w3, [x25, #-256]
	ldpsw	x4, x5, [x21]
	ldpsw	x4, x5, [sp, #-256]
	ldpsw	x4, x5, [x22, #252]
	ldpsw	x4, x5, [x23], #-256
	ldpsw	x4, x5, [sp], #0
	ldpsw	x4, x5, [sp, #-8]!
	ldpsw	x4, x5, [x24, #0]!
	stp	x6, x7, [x21]
	stp	x6, x7, [sp, #-512]
	stp	x6, x7, [x22, #504]
	stp	x6, x7, [x23], #-512
	stp	x6, x7, [sp], #0
	stp	x6, x7, [sp, #-16]!
	stp	x6, x7, [x24, #0]!
	stnp	x6, x7, [x25]
	stnp	x6, x7, [x25, #-512]
	ldp	x8, x9, [x21]
	ldp	x8, x9, [sp, #-512]
	ldp	x8, x9, [x22, #504]
	ldp	x8, x9, [x23], #-512
	ldp	x8, x9, [sp], #0
	ldp	x8, x9, [sp, #-16]!
	ldp	x8, x9, [x24, #0]!
	ldnp	x8, x9, [x25]
	ldnp	x8, x9, [x25, #-512]
	stp	s0, s1, [x21]
	stp	s0, s1, [sp, #-256]
	stp	s0, s1, [x22, #252]
	stp	s0, s1, [x23], #-256
	stp	s0, s1, [sp], #0
	stp	s0, s1, [sp, #-8]!
	stp	s0, s1, [x24, #0]!
	stnp	s0, s1, [x25]
	stnp	s0, s1, [x25, #-256]
	ldp	s2, s3, [x21]
	ldp	s2, s3, [sp, #-256]
	ldp	s2, s3, [x22, #252]
	ldp	s2, s3, [x23], #-256
	ldp	s2, s3, [sp], #0
	ldp	s2, s3, [sp, #-8]!
	ldp	s2, s3, [x24, #0]!
	ldnp	s2, s3, [x25]
	ldnp	s2, s3, [x25, #-256]
	stp	d4, d5, [x21]
	stp	d4, d5, [sp, #-512]
	stp	d4, d5, [x22, #504]
	stp	d4, d5, [x23], #-512
	stp	d4, d5, [sp], #0
	stp	d4, d5, [sp, #-16]!
	stp	d4, d5, [x24, #0]!
	stnp	d4, d5, [x25]
	stnp	d4, d5, [x25, #-512]
	ldp	d6, d7, [x21]
	ldp	d6, d7, [sp, #-512]
	ldp	d6, d7, [x22, #504]
	ldp	d6, d7, [x23], #-512
	ldp	d6, d7, [sp], #0
	ldp	d6, d7, [sp, #-16]!
	ldp	d6, d7, [x24, #0]!
	ldnp	d6, d7, [x25]
	ldnp	d6, d7, [x25, #-512]
	stp	q8, q9, [x21]
	stp	q8, q9, [sp, #-1024]
	stp	q8, q9, [x22, #1008]
	stp	q8, q9, [x23], #-1024
	stp	q8, q9, [sp], #0
	stp	q8, q9, [sp, #-32]!
	stp	q8, q9, [x24, #0]!
	stnp	q8, q9, [x25]
	stnp	q8, q9, [x25, #-1024]
	ldp	q10, q11, [x21]
	ldp	q10, q11, [sp, #-1024]
	ldp	q10, q11, [x22, #1008]
	ldp	q10, q11, [x23], #-1024
	ldp	q10, q11, [sp], #0
	ldp	q10, q11, [sp, #-32]!
	ldp	q10, q11, [x24, #0]!
	ldnp	q10, q11, [x25]
	ldnp	q10, q11, [x25, #-1024]
