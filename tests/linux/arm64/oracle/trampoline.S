/* The two instructions of the arm64 vDSO's __kernel_rt_sigreturn
 * (arch/arm64/kernel/vdso/sigreturn.S), assembled by GNU as: what polyvm's trampoline must be. */
#include <asm/unistd.h>
	mov	x8, #__NR_rt_sigreturn
	svc	#0
