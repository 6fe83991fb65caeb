// The x86-64 host half of SafeSyscall (see safe_syscall.h). Between polyvm_safe_syscall_start and
// polyvm_safe_syscall_end (the syscall instruction included) a host signal handler that has queued a
// guest signal moves the pc to polyvm_safe_syscall_interrupted.
//
// int64_t polyvm_safe_syscall(const uint32_t* pending, long nr, long a1, long a2, long a3,
//                             long a4, long a5, long a6)
        .text
        .globl  polyvm_safe_syscall
        .globl  polyvm_safe_syscall_start
        .globl  polyvm_safe_syscall_end
        .globl  polyvm_safe_syscall_interrupted
        .type   polyvm_safe_syscall, @function
polyvm_safe_syscall:
        .cfi_startproc
        mov     %rdi, %r11        // pending flag (r11 is clobbered by syscall, after we are done)
        mov     %rsi, %rax        // number
        mov     %rdx, %rdi        // a1
        mov     %rcx, %rsi        // a2
        mov     %r8, %rdx         // a3
        mov     %r9, %r10         // a4
        mov     8(%rsp), %r8      // a5
        mov     16(%rsp), %r9     // a6
polyvm_safe_syscall_start:
        cmpl    $0, (%r11)
        jne     polyvm_safe_syscall_interrupted
        syscall
polyvm_safe_syscall_end:
        ret
polyvm_safe_syscall_interrupted:
        mov     $-512, %rax       // kRestartSys
        ret
        .cfi_endproc
        .size   polyvm_safe_syscall, .-polyvm_safe_syscall
        .section .note.GNU-stack,"",@progbits
