# Every FP and AdvSIMD form of insns_fp.def and insns_simd.def, with edge-case operands. Assembled
# with aarch64-linux-gnu-as and dumped with objdump -d -M no-aliases at build time, like
# all_insns.s; the objdump comparison test checks each line.
	.text
# ---- scalar FP, one source ----
	fmov	s0, s1
	fmov	d31, d0
	fabs	s2, s3
	fabs	d30, d29
	fneg	s4, s5
	fneg	d4, d5
	fsqrt	s6, s7
	fsqrt	d6, d7
	fcvt	d0, s1
	fcvt	s0, d1
	fcvt	h0, s1
	fcvt	d2, h3
	frintn	s0, s1
	frintp	d0, d1
	frintm	s0, s1
	frintz	d0, d1
	frinta	s0, s1
	frintx	d0, d1
	frinti	s0, s31
# ---- two sources ----
	fmul	s0, s1, s2
	fdiv	d0, d1, d2
	fadd	s31, s30, s29
	fsub	d3, d4, d5
	fmax	s0, s1, s2
	fmin	d0, d1, d2
	fmaxnm	s0, s1, s2
	fminnm	d0, d1, d2
	fnmul	s0, s1, s2
	fnmul	d7, d8, d9
# ---- three sources ----
	fmadd	s0, s1, s2, s3
	fmsub	d0, d1, d2, d3
	fnmadd	s4, s5, s6, s7
	fnmsub	d28, d29, d30, d31
# ---- compares, conditional compare and select, immediates ----
	fcmp	s0, s1
	fcmp	d30, d31
	fcmp	s0, #0.0
	fcmp	d3, #0.0
	fcmpe	s0, s1
	fcmpe	d1, d2
	fcmpe	s5, #0.0
	fcmpe	d5, #0.0
	fccmp	s0, s1, #0x4, ne
	fccmp	d0, d1, #0x0, eq
	fccmpe	s0, s1, #0xf, al
	fccmpe	d2, d3, #0x8, nv
	fcsel	s0, s1, s2, lt
	fcsel	d0, d1, d2, hi
	fmov	s0, #1.0
	fmov	d0, #-0.125
	fmov	s3, #31.0
	fmov	d31, #0.1875
	fmov	s1, #-1.9375
# ---- conversions with general registers ----
	fcvtns	w0, s1
	fcvtns	x0, d1
	fcvtnu	w0, d1
	fcvtnu	x0, s1
	scvtf	s0, w1
	scvtf	d0, x1
	scvtf	d0, wzr
	ucvtf	s0, x1
	ucvtf	d0, w1
	fcvtas	w0, s1
	fcvtau	x0, d1
	fcvtps	w0, d1
	fcvtpu	x0, s1
	fcvtms	w0, s1
	fcvtmu	x0, d1
	fcvtzs	w0, s1
	fcvtzs	x0, d1
	fcvtzs	xzr, s31
	fcvtzu	w0, d1
	fcvtzu	x0, s1
	fmov	w0, s1
	fmov	s0, w1
	fmov	x0, d1
	fmov	d0, x1
	fmov	s0, wzr
	fmov	x0, v1.d[1]
	fmov	v1.d[1], x3
	fmov	v31.d[1], xzr
# ---- fixed point ----
	scvtf	s0, w1, #1
	scvtf	d0, w1, #32
	scvtf	d0, x1, #64
	ucvtf	s0, x1, #3
	ucvtf	d0, w1, #16
	fcvtzs	w0, s1, #32
	fcvtzs	x0, d1, #3
	fcvtzs	x0, s1, #64
	fcvtzu	w0, d1, #1
	fcvtzu	x0, d1, #60
# ---- AdvSIMD three same ----
	sqadd	v0.16b, v1.16b, v2.16b
	sqadd	v0.2d, v1.2d, v2.2d
	uqadd	v0.8b, v1.8b, v2.8b
	sqsub	v0.4h, v1.4h, v2.4h
	uqsub	v0.4s, v1.4s, v2.4s
	cmgt	v0.16b, v1.16b, v2.16b
	cmhi	v0.2d, v1.2d, v2.2d
	cmge	v0.8h, v1.8h, v2.8h
	cmhs	v0.2s, v1.2s, v2.2s
	sshl	v0.2d, v1.2d, v2.2d
	sshl	v0.16b, v1.16b, v2.16b
	ushl	v0.4s, v1.4s, v2.4s
	ushl	v0.4h, v1.4h, v2.4h
	smax	v0.16b, v1.16b, v2.16b
	umax	v0.4s, v1.4s, v2.4s
	smin	v0.8h, v1.8h, v2.8h
	umin	v0.8b, v1.8b, v2.8b
	sabd	v0.4s, v1.4s, v2.4s
	uabd	v0.16b, v1.16b, v2.16b
	saba	v0.8h, v1.8h, v2.8h
	uaba	v0.2s, v1.2s, v2.2s
	add	v0.16b, v1.16b, v2.16b
	add	v0.2d, v1.2d, v2.2d
	add	v31.4h, v30.4h, v29.4h
	sub	v0.4s, v1.4s, v2.4s
	sub	v0.8b, v1.8b, v2.8b
	cmtst	v0.16b, v1.16b, v2.16b
	cmtst	v0.2d, v1.2d, v2.2d
	cmeq	v0.16b, v1.16b, v2.16b
	cmeq	v0.2s, v1.2s, v2.2s
	mla	v0.4s, v1.4s, v2.4s
	mls	v0.8h, v1.8h, v2.8h
	mul	v0.16b, v1.16b, v2.16b
	mul	v0.2s, v1.2s, v2.2s
	smaxp	v0.4s, v1.4s, v2.4s
	umaxp	v0.16b, v1.16b, v2.16b
	sminp	v0.8b, v1.8b, v2.8b
	uminp	v0.8h, v1.8h, v2.8h
	addp	v0.16b, v1.16b, v2.16b
	addp	v0.2d, v1.2d, v2.2d
	addp	v0.2s, v1.2s, v2.2s
	and	v0.16b, v1.16b, v2.16b
	bic	v0.8b, v1.8b, v2.8b
	orr	v0.16b, v1.16b, v2.16b
	orr	v3.8b, v4.8b, v4.8b
	orn	v0.16b, v1.16b, v2.16b
	eor	v0.8b, v1.8b, v2.8b
	bsl	v0.16b, v1.16b, v2.16b
	bit	v0.16b, v1.16b, v2.16b
	bif	v0.8b, v1.8b, v2.8b
	fmaxnm	v0.4s, v1.4s, v2.4s
	fminnm	v0.2d, v1.2d, v2.2d
	fmla	v0.2s, v1.2s, v2.2s
	fmls	v0.2d, v1.2d, v2.2d
	fadd	v0.4s, v1.4s, v2.4s
	fadd	v0.2d, v1.2d, v2.2d
	fsub	v0.2s, v1.2s, v2.2s
	fmax	v0.4s, v1.4s, v2.4s
	fmin	v0.2d, v1.2d, v2.2d
	fcmeq	v0.4s, v1.4s, v2.4s
	fmaxnmp	v0.4s, v1.4s, v2.4s
	fminnmp	v0.2d, v1.2d, v2.2d
	faddp	v0.4s, v1.4s, v2.4s
	faddp	v0.2d, v1.2d, v2.2d
	fabd	v0.2s, v1.2s, v2.2s
	fmul	v0.4s, v1.4s, v2.4s
	fmul	v0.2d, v1.2d, v2.2d
	fcmge	v0.2d, v1.2d, v2.2d
	fcmgt	v0.4s, v1.4s, v2.4s
	facge	v0.4s, v1.4s, v2.4s
	facgt	v0.2d, v1.2d, v2.2d
	fmaxp	v0.2s, v1.2s, v2.2s
	fminp	v0.4s, v1.4s, v2.4s
	fdiv	v0.4s, v1.4s, v2.4s
	fdiv	v0.2d, v1.2d, v2.2d
# ---- scalar three same ----
	add	d0, d1, d2
	sub	d31, d30, d29
	cmgt	d0, d1, d2
	cmhi	d0, d1, d2
	cmge	d0, d1, d2
	cmhs	d0, d1, d2
	cmtst	d0, d1, d2
	cmeq	d0, d1, d2
	sshl	d0, d1, d2
	ushl	d0, d1, d2
	fabd	s0, s1, s2
	fabd	d0, d1, d2
	fcmeq	s0, s1, s2
	fcmge	d0, d1, d2
	fcmgt	s0, s1, s2
	facge	d0, d1, d2
	facgt	s0, s1, s2
# ---- two-register miscellaneous ----
	rev64	v0.16b, v1.16b
	rev64	v0.4h, v1.4h
	rev64	v0.4s, v1.4s
	rev32	v0.8b, v1.8b
	rev32	v0.8h, v1.8h
	rev16	v0.16b, v1.16b
	saddlp	v0.8h, v1.16b
	uaddlp	v0.1d, v1.2s
	uaddlp	v0.2d, v1.4s
	cnt	v0.8b, v1.8b
	cnt	v0.16b, v1.16b
	not	v0.16b, v1.16b
	cmgt	v0.4s, v1.4s, #0
	cmge	v0.16b, v1.16b, #0
	cmeq	v0.2d, v1.2d, #0
	cmle	v0.8h, v1.8h, #0
	cmlt	v0.2s, v1.2s, #0
	abs	v0.16b, v1.16b
	abs	v0.2d, v1.2d
	neg	v0.4s, v1.4s
	xtn	v0.8b, v1.8h
	xtn2	v0.16b, v1.8h
	xtn	v0.2s, v1.2d
	sqxtun	v0.4h, v1.4s
	sqxtn	v0.8b, v1.8h
	sqxtn2	v0.4s, v1.2d
	uqxtn	v0.4h, v1.4s
	uqxtn2	v0.16b, v1.8h
	fcvtn	v0.2s, v1.2d
	fcvtn2	v0.4s, v1.2d
	fcvtn	v0.4h, v1.4s
	fcvtl	v0.2d, v1.2s
	fcvtl2	v0.2d, v1.4s
	fcvtl	v0.4s, v1.4h
	frintn	v0.4s, v1.4s
	frintm	v0.2d, v1.2d
	frintp	v0.2s, v1.2s
	frintz	v0.4s, v1.4s
	frinta	v0.2d, v1.2d
	frintx	v0.4s, v1.4s
	frinti	v0.2d, v1.2d
	fcvtns	v0.4s, v1.4s
	fcvtms	v0.2d, v1.2d
	fcvtas	v0.2s, v1.2s
	scvtf	v0.4s, v1.4s
	scvtf	v0.2d, v1.2d
	fcvtps	v0.4s, v1.4s
	fcvtzs	v0.4s, v1.4s
	fcvtzs	v0.2d, v1.2d
	fcvtnu	v0.2d, v1.2d
	fcvtmu	v0.4s, v1.4s
	fcvtau	v0.2s, v1.2s
	ucvtf	v0.2s, v1.2s
	ucvtf	v0.2d, v1.2d
	fcvtpu	v0.4s, v1.4s
	fcvtzu	v0.2d, v1.2d
	fcmgt	v0.4s, v1.4s, #0.0
	fcmge	v0.2d, v1.2d, #0.0
	fcmeq	v0.2s, v1.2s, #0.0
	fcmle	v0.4s, v1.4s, #0.0
	fcmlt	v0.2d, v1.2d, #0.0
	fabs	v0.4s, v1.4s
	fneg	v0.2d, v1.2d
	fsqrt	v0.4s, v1.4s
	fsqrt	v0.2d, v1.2d
# ---- scalar two-register miscellaneous ----
	cmgt	d0, d1, #0
	cmge	d0, d1, #0
	cmeq	d0, d1, #0
	cmle	d0, d1, #0
	cmlt	d0, d1, #0
	abs	d0, d1
	neg	d0, d1
	fcvtns	s0, s1
	fcvtms	d0, d1
	fcvtas	s0, s1
	scvtf	s0, s1
	scvtf	d0, d1
	fcvtps	d0, d1
	fcvtzs	s0, s1
	fcvtzs	d0, d1
	fcvtnu	s0, s1
	fcvtmu	d0, d1
	fcvtau	s0, s1
	ucvtf	d0, d1
	fcvtpu	s0, s1
	fcvtzu	d0, d1
# ---- across lanes, pairwise to scalar ----
	saddlv	h0, v1.16b
	saddlv	d0, v1.4s
	uaddlv	s0, v1.8h
	uaddlv	h0, v1.8b
	smaxv	b0, v1.16b
	umaxv	s0, v1.4s
	sminv	h0, v1.4h
	uminv	b0, v1.8b
	addv	b0, v1.16b
	addv	s0, v1.4s
	addv	h0, v1.4h
	fmaxnmv	s0, v1.4s
	fminnmv	s0, v1.4s
	fmaxv	s0, v1.4s
	fminv	s0, v1.4s
	addp	d0, v1.2d
	faddp	s0, v1.2s
	faddp	d0, v1.2d
	fmaxnmp	s0, v1.2s
	fminnmp	d0, v1.2d
	fmaxp	d0, v1.2d
	fminp	s0, v1.2s
# ---- copy ----
	dup	v0.16b, v1.b[15]
	dup	v0.4h, v1.h[7]
	dup	v0.4s, v1.s[2]
	dup	v0.2d, v1.d[1]
	dup	v0.8b, w3
	dup	v0.8h, wzr
	dup	v0.4s, w3
	dup	v0.2d, x3
	smov	w0, v1.b[3]
	smov	w0, v1.h[7]
	smov	x0, v1.b[15]
	smov	x0, v1.s[3]
	umov	w0, v1.b[3]
	umov	w0, v1.h[0]
	umov	w0, v1.s[3]
	umov	x0, v1.d[1]
	ins	v0.b[15], w3
	ins	v0.h[2], w3
	ins	v0.s[1], w3
	ins	v0.d[1], x3
	ins	v0.b[3], v3.b[15]
	ins	v0.s[1], v3.s[0]
	ins	v0.d[0], v31.d[1]
	dup	b0, v1.b[9]
	dup	s0, v1.s[1]
	dup	d0, v1.d[1]
# ---- permutes, ext, tbl ----
	uzp1	v0.4s, v1.4s, v2.4s
	uzp2	v0.8b, v1.8b, v2.8b
	trn1	v0.16b, v1.16b, v2.16b
	trn2	v0.2d, v1.2d, v2.2d
	zip1	v0.8h, v1.8h, v2.8h
	zip2	v0.2s, v1.2s, v2.2s
	ext	v0.16b, v1.16b, v2.16b, #15
	ext	v0.8b, v1.8b, v2.8b, #3
	tbl	v0.16b, {v1.16b}, v2.16b
	tbl	v0.8b, {v1.16b, v2.16b}, v3.8b
	tbl	v0.16b, {v1.16b-v3.16b}, v4.16b
	tbl	v0.16b, {v31.16b, v0.16b, v1.16b, v2.16b}, v4.16b
	tbx	v0.8b, {v1.16b}, v5.8b
	tbx	v0.16b, {v1.16b-v4.16b}, v5.16b
# ---- modified immediates ----
	movi	v0.2s, #0x12
	movi	v0.4s, #0xff, lsl #24
	orr	v1.4s, #0x3, lsl #16
	orr	v1.2s, #0x80
	movi	v0.4h, #0x12
	movi	v0.8h, #0x12, lsl #8
	orr	v1.8h, #0x3
	orr	v1.4h, #0xa5, lsl #8
	movi	v0.4s, #0x12, msl #8
	movi	v0.2s, #0x12, msl #16
	movi	v0.16b, #0xff
	movi	v0.8b, #0x0
	fmov	v0.4s, #1.0
	fmov	v0.2s, #-3.0
	mvni	v1.4s, #0x3
	mvni	v1.2s, #0x3, lsl #8
	bic	v1.4s, #0x3, lsl #24
	bic	v1.2s, #0xff
	mvni	v1.8h, #0x3
	mvni	v1.4h, #0x3, lsl #8
	bic	v1.8h, #0x3, lsl #8
	bic	v1.4h, #0x3
	mvni	v1.4s, #0x12, msl #16
	movi	v2.4s, #0x1, lsl #8
	movi	v2.2s, #0x80, lsl #16
	orr	v3.4s, #0x1
	orr	v3.2s, #0x1, lsl #8
	orr	v3.4s, #0xfe, lsl #24
	mvni	v4.4s, #0x1, lsl #16
	mvni	v4.2s, #0x7f, lsl #24
	bic	v5.4s, #0x1, lsl #8
	bic	v5.2s, #0x10, lsl #16
	mvni	v6.2s, #0x12, msl #8
	movi	d0, #0xff00ff00ff00ff00
	movi	d0, #0x0
	movi	v0.2d, #0xffffffffffffffff
	fmov	v0.2d, #-1.0
# ---- shift by immediate ----
	sshr	v0.16b, v1.16b, #8
	sshr	v0.2d, v1.2d, #64
	ushr	v0.4s, v1.4s, #1
	ushr	v0.4h, v1.4h, #16
	ssra	v0.8h, v1.8h, #3
	usra	v0.2d, v1.2d, #63
	srshr	v0.4s, v1.4s, #7
	urshr	v0.16b, v1.16b, #1
	shl	v0.4s, v1.4s, #31
	shl	v0.16b, v1.16b, #0
	shl	v0.2d, v1.2d, #63
	shrn	v0.8b, v1.8h, #4
	shrn2	v0.16b, v1.8h, #8
	shrn	v0.2s, v1.2d, #32
	rshrn	v0.4h, v1.4s, #16
	rshrn2	v0.4s, v1.2d, #1
	sshll	v0.8h, v1.8b, #0
	sshll2	v0.4s, v1.8h, #15
	ushll	v0.2d, v1.2s, #31
	ushll2	v0.8h, v1.16b, #7
	scvtf	v0.4s, v1.4s, #1
	ucvtf	v0.2d, v1.2d, #64
	fcvtzs	v0.2s, v1.2s, #32
	fcvtzu	v0.2d, v1.2d, #3
	sshr	d0, d1, #64
	ushr	d0, d1, #1
	ssra	d0, d1, #63
	usra	d0, d1, #32
	shl	d0, d1, #63
	scvtf	s0, s1, #1
	ucvtf	d0, d1, #64
	fcvtzs	s0, s1, #32
	fcvtzu	d0, d1, #3
# ---- three different ----
	saddl	v0.8h, v1.8b, v2.8b
	uaddl2	v0.2d, v1.4s, v2.4s
	saddw	v0.4s, v1.4s, v2.4h
	uaddw2	v0.8h, v1.8h, v2.16b
	ssubl	v0.2d, v1.2s, v2.2s
	usubl2	v0.4s, v1.8h, v2.8h
	ssubw2	v0.2d, v1.2d, v2.4s
	usubw	v0.8h, v1.8h, v2.8b
	addhn	v0.8b, v1.8h, v2.8h
	addhn2	v0.4s, v1.2d, v2.2d
	subhn	v0.4h, v1.4s, v2.4s
	subhn2	v0.16b, v1.8h, v2.8h
	sabal	v0.8h, v1.8b, v2.8b
	uabal2	v0.4s, v1.8h, v2.8h
	sabdl	v0.2d, v1.2s, v2.2s
	uabdl2	v0.8h, v1.16b, v2.16b
	smlal	v0.4s, v1.4h, v2.4h
	umlal2	v0.2d, v1.4s, v2.4s
	smlsl2	v0.8h, v1.16b, v2.16b
	umlsl	v0.2d, v1.2s, v2.2s
	smull	v0.8h, v1.8b, v2.8b
	smull2	v0.4s, v1.8h, v2.8h
	umull	v0.2d, v1.2s, v2.2s
	umull2	v0.2d, v1.4s, v2.4s
# ---- by element ----
	mla	v0.4s, v1.4s, v2.s[3]
	mls	v0.8h, v1.8h, v15.h[7]
	mul	v0.4h, v1.4h, v2.h[0]
	mul	v0.2s, v1.2s, v31.s[1]
	smlal	v0.4s, v1.4h, v2.h[5]
	umlal2	v0.2d, v1.4s, v2.s[2]
	smull	v0.2d, v1.2s, v2.s[1]
	umull2	v0.4s, v1.8h, v3.h[6]
	fmla	v0.4s, v1.4s, v2.s[3]
	fmla	v0.2d, v1.2d, v2.d[1]
	fmls	v0.2s, v1.2s, v31.s[0]
	fmul	v0.4s, v1.4s, v2.s[2]
	fmul	v0.2d, v1.2d, v2.d[0]
	fmla	s0, s1, v2.s[3]
	fmla	d0, d1, v2.d[1]
	fmls	d0, d1, v2.d[0]
	fmul	s0, s1, v2.s[1]
	fmul	d0, d1, v31.d[1]
# ---- structure loads and stores ----
	ld1	{v0.16b}, [x0]
	ld1	{v0.8b, v1.8b}, [sp]
	ld1	{v0.4s-v2.4s}, [x1]
	ld1	{v0.2d-v3.2d}, [x2]
	ld1	{v31.4s, v0.4s, v1.4s}, [x0]
	ld1	{v0.1d}, [x0]
	ld2	{v0.4h, v1.4h}, [x0]
	ld3	{v0.16b-v2.16b}, [x0]
	ld4	{v0.2s-v3.2s}, [x0]
	st1	{v0.2d}, [x0]
	st1	{v30.16b, v31.16b}, [x0]
	st1	{v0.8h-v2.8h}, [x0]
	st1	{v0.4s-v3.4s}, [x0]
	st2	{v0.16b, v1.16b}, [x0]
	st3	{v0.4s-v2.4s}, [x0]
	st4	{v0.8b-v3.8b}, [x0]
	ld1	{v0.16b}, [x0], #16
	ld1	{v0.8b}, [x0], #8
	ld1	{v0.16b-v3.16b}, [x0], #64
	ld1	{v0.4s, v1.4s}, [x0], x2
	ld2	{v0.2d, v1.2d}, [x0], #32
	ld3	{v0.8h-v2.8h}, [x0], x5
	ld4	{v0.4s-v3.4s}, [x0], #64
	st1	{v0.2s-v2.2s}, [x0], #24
	st2	{v0.8b, v1.8b}, [x0], x1
	st3	{v0.2d-v2.2d}, [sp], #48
	st4	{v0.16b-v3.16b}, [x0], #64
	st1	{v0.1d, v1.1d}, [x0], #16
	ld1	{v0.b}[15], [x0]
	ld1	{v0.h}[3], [x0]
	ld1	{v0.s}[3], [x1], #4
	ld1	{v0.d}[1], [x0], x3
	ld2	{v0.s, v1.s}[1], [x0]
	ld3	{v0.b-v2.b}[15], [x0]
	ld4	{v0.d-v3.d}[1], [x0], #32
	st1	{v0.b}[7], [x0], #1
	st1	{v0.d}[0], [x0]
	st2	{v0.h, v1.h}[7], [x0], #4
	st3	{v0.s-v2.s}[2], [x0]
	st4	{v0.b-v3.b}[0], [x0], x9
	ld1r	{v0.4s}, [x1]
	ld1r	{v0.8b}, [x1], #1
	ld1r	{v0.2d}, [x0], #8
	ld1r	{v0.1d}, [x0], x3
	ld2r	{v0.8h, v1.8h}, [x0]
	ld2r	{v0.2d, v1.2d}, [x0], #16
	ld3r	{v0.4s-v2.4s}, [x0]
	ld4r	{v0.16b-v3.16b}, [x0], #4
	st1	{v0.16b-v3.16b}, [x0], x4
	st1	{v0.4h}, [x0], #8
	ld1	{v0.2d-v2.2d}, [x0], #48
	st2	{v0.d, v1.d}[1], [x0]
	st4	{v0.s-v3.s}[3], [x0]
	ld4	{v0.h-v3.h}[4], [x0]
	st3	{v0.h-v2.h}[5], [x3], #6
	ld2	{v0.b, v1.b}[8], [x0], #2
	ld3	{v0.s-v2.s}[0], [x0], x1
	ld4r	{v0.2s-v3.2s}, [x0]
	ld3r	{v0.8h-v2.8h}, [x0], #6
	shadd	v0.16b, v1.16b, v2.16b
	uhadd	v0.8h, v1.8h, v2.8h
	srhadd	v0.2s, v1.2s, v2.2s
	urhadd	v0.4s, v1.4s, v2.4s
	cls	v0.8b, v1.8b
	clz	v0.4s, v1.4s
	clz	v0.8h, v1.8h
	sadalp	v0.4s, v1.8h
	uadalp	v0.2d, v1.4s
	uadalp	v0.4h, v1.8b
	sri	v0.2d, v1.2d, #64
	sri	v0.8b, v1.8b, #3
	sli	v0.4s, v1.4s, #0
	sli	v0.8h, v1.8h, #15
	shll	v0.8h, v1.8b, #8
	shll2	v4.8h, v2.16b, #8
	shll	v0.4s, v1.4h, #16
	shll2	v0.2d, v1.4s, #32
	sqshrun	v0.8b, v1.8h, #1
	sqrshrun2	v0.4s, v1.2d, #32
	sqshrn	v0.4h, v1.4s, #16
	uqshrn2	v0.16b, v1.8h, #8
	sqrshrn	v0.2s, v1.2d, #3
	uqrshrn	v0.8b, v1.8h, #7
	sqshlu	v0.16b, v1.16b, #7
	sqshl	v0.4s, v1.4s, #0
	uqshl	v0.2d, v1.2d, #63
	uqshl	v0.4h, v1.4h, #9
	smlsl	v0.4s, v1.4h, v2.h[7]
	umlsl2	v0.2d, v1.4s, v2.s[3]
# ---- saturating, rounding and halving forms added with the register shifts ----
	shsub	v0.16b, v1.16b, v2.16b
	shsub	v3.4s, v4.4s, v5.4s
	uhsub	v0.4h, v1.4h, v2.4h
	uhsub	v31.8h, v30.8h, v29.8h
	sqshl	v0.16b, v1.16b, v2.16b
	sqshl	v0.2d, v1.2d, v2.2d
	uqshl	v0.2s, v1.2s, v2.2s
	srshl	v0.8h, v1.8h, v2.8h
	urshl	v0.2d, v1.2d, v2.2d
	sqrshl	v0.8b, v1.8b, v2.8b
	uqrshl	v0.4s, v1.4s, v2.4s
	sqdmulh	v0.4h, v1.4h, v2.4h
	sqdmulh	v0.4s, v1.4s, v2.4s
	sqrdmulh	v0.8h, v1.8h, v2.8h
	sqrdmulh	v0.2s, v1.2s, v2.2s
	sqadd	b0, b1, b2
	sqadd	d0, d1, d2
	uqadd	h0, h1, h2
	sqsub	s0, s1, s2
	uqsub	d31, d30, d29
	sqshl	b0, b1, b2
	uqshl	d0, d1, d2
	srshl	d0, d1, d2
	urshl	d3, d4, d5
	sqrshl	h0, h1, h2
	uqrshl	s0, s1, s2
	sqdmulh	h0, h1, h2
	sqrdmulh	s0, s1, s2
	suqadd	v0.16b, v1.16b
	suqadd	v0.2d, v1.2d
	usqadd	v0.4h, v1.4h
	sqabs	v0.8b, v1.8b
	sqabs	v0.4s, v1.4s
	sqneg	v0.2d, v1.2d
	sqneg	v0.8h, v1.8h
	rbit	v0.8b, v1.8b
	rbit	v31.16b, v30.16b
	suqadd	b0, b1
	usqadd	d0, d1
	sqabs	h0, h1
	sqabs	d0, d1
	sqneg	s0, s1
	sqneg	b31, b30
	srsra	v0.16b, v1.16b, #8
	srsra	v0.2d, v1.2d, #64
	ursra	v0.4s, v1.4s, #1
	srshr	d0, d1, #64
	urshr	d0, d1, #1
	srsra	d0, d1, #3
	ursra	d0, d1, #63
	raddhn	v0.8b, v1.8h, v2.8h
	raddhn2	v0.4s, v1.2d, v2.2d
	rsubhn	v0.4h, v1.4s, v2.4s
	rsubhn2	v0.16b, v1.8h, v2.8h
	sqdmull	v0.4s, v1.4h, v2.4h
	sqdmull2	v0.2d, v1.4s, v2.4s
	sqdmlal	v0.2d, v1.2s, v2.2s
	sqdmlal2	v0.4s, v1.8h, v2.8h
	sqdmlsl	v0.4s, v1.4h, v2.4h
	sqdmlsl2	v0.2d, v1.4s, v2.4s
# ---- FMULX, reciprocal steps and estimates, FCVTXN ----
	fmulx	v0.2s, v1.2s, v2.2s
	fmulx	v0.2d, v1.2d, v2.2d
	fmulx	s0, s1, s2
	fmulx	d31, d30, d29
	frecps	v0.4s, v1.4s, v2.4s
	frecps	d0, d1, d2
	frsqrts	v0.2d, v1.2d, v2.2d
	frsqrts	s0, s1, s2
	frecpe	v0.2s, v1.2s
	frecpe	v0.2d, v1.2d
	frecpe	s0, s1
	frsqrte	v0.4s, v1.4s
	frsqrte	d0, d1
	urecpe	v0.2s, v1.2s
	urecpe	v0.4s, v1.4s
	ursqrte	v0.4s, v1.4s
	ursqrte	v31.2s, v30.2s
	fcvtxn	v0.2s, v1.2d
	fcvtxn2	v0.4s, v1.2d
	fcvtxn	s0, d1
# ---- half precision conversions (base ARMv8) ----
	fcvt	h0, s1
	fcvt	h31, d30
	fcvt	s0, h1
	fcvtn2	v0.8h, v1.4s
	fcvtl2	v0.4s, v1.8h
# ---- by element: FMULX, SQDMULH, SQRDMULH, SQDMULL/SQDMLAL/SQDMLSL (vector and scalar) ----
	fmulx	v0.2s, v1.2s, v2.s[3]
	fmulx	v31.4s, v30.4s, v29.s[0]
	fmulx	v0.2d, v1.2d, v31.d[1]
	fmulx	s0, s1, v2.s[2]
	fmulx	d31, d30, v29.d[1]
	sqdmulh	v0.4h, v1.4h, v15.h[7]
	sqdmulh	v0.8h, v1.8h, v2.h[0]
	sqdmulh	v0.2s, v1.2s, v31.s[3]
	sqdmulh	v0.4s, v1.4s, v2.s[1]
	sqrdmulh	v0.8h, v1.8h, v15.h[5]
	sqrdmulh	v0.4s, v1.4s, v31.s[2]
	sqdmulh	h0, h1, v15.h[3]
	sqdmulh	s31, s30, v29.s[3]
	sqrdmulh	h0, h1, v2.h[6]
	sqrdmulh	s0, s1, v2.s[0]
	sqdmull	v0.4s, v1.4h, v2.h[7]
	sqdmull2	v0.4s, v1.8h, v15.h[1]
	sqdmull	v0.2d, v1.2s, v31.s[3]
	sqdmull2	v0.2d, v1.4s, v2.s[0]
	sqdmlal	v0.4s, v1.4h, v2.h[2]
	sqdmlal2	v0.2d, v1.4s, v2.s[1]
	sqdmlsl	v0.4s, v1.4h, v2.h[4]
	sqdmlsl2	v0.2d, v1.4s, v31.s[3]
	sqdmull	s0, h1, v2.h[7]
	sqdmull	d0, s1, v31.s[2]
	sqdmlal	s0, h1, v15.h[0]
	sqdmlal	d31, s30, v2.s[1]
	sqdmlsl	s0, h1, v2.h[5]
	sqdmlsl	d0, s1, v2.s[3]
# ---- scalar three different: SQDMULL, SQDMLAL, SQDMLSL ----
	sqdmull	s0, h1, h2
	sqdmull	d31, s30, s29
	sqdmlal	s0, h1, h2
	sqdmlal	d0, s1, s2
	sqdmlsl	s0, h1, h2
	sqdmlsl	d0, s1, s31
# ---- scalar saturating narrows, FRECPX ----
	sqxtn	b0, h1
	sqxtn	h0, s1
	sqxtn	s31, d30
	uqxtn	b0, h1
	uqxtn	s0, d1
	sqxtun	b0, h1
	sqxtun	h0, s1
	sqxtun	s0, d1
	frecpx	s0, s1
	frecpx	d31, d30
# ---- scalar shifts by immediate: saturating (b h s d), narrowing (b h s), SLI/SRI (d) ----
	sqshl	b0, b1, #0
	sqshl	b0, b1, #7
	sqshl	h0, h1, #15
	sqshl	s0, s1, #31
	sqshl	d0, d1, #63
	uqshl	b0, b1, #3
	uqshl	h31, h30, #8
	uqshl	s0, s1, #0
	uqshl	d0, d1, #1
	sqshlu	b0, b1, #1
	sqshlu	h0, h1, #15
	sqshlu	s0, s1, #16
	sqshlu	d0, d1, #63
	sqshrn	b0, h1, #1
	sqshrn	b0, h1, #8
	sqshrn	h0, s1, #16
	sqshrn	s0, d1, #32
	uqshrn	b0, h1, #3
	uqshrn	s0, d1, #1
	sqrshrn	h0, s1, #5
	sqrshrn	s31, d30, #32
	uqrshrn	b0, h1, #8
	uqrshrn	h0, s1, #1
	sqshrun	b0, h1, #4
	sqshrun	s0, d1, #17
	sqrshrun	h0, s1, #16
	sqrshrun	s0, d1, #1
	sli	d0, d1, #0
	sli	d0, d1, #63
	sri	d0, d1, #1
	sri	d31, d30, #64
# ---- scalar FP compares with zero ----
	fcmgt	s0, s1, #0.0
	fcmge	d0, d1, #0.0
	fcmeq	s31, s30, #0.0
	fcmle	d0, d31, #0.0
	fcmlt	s0, s1, #0.0
