# The guest test table: which programs are built (guest_program) and how each is run (guest_case).
# See README.md. Programs in the position-independent link modes exercise ET_DYN loading and, for
# "dynamic", the guest's own ld.so from the sysroot.
set(pic static static-pie dynamic)

# --- integer and bit arithmetic
guest_program(integer SOURCES integer.c LINKS ${pic})
guest_case(integer)
guest_program(bits SOURCES bits.c)
guest_case(bits)

# --- floating point
guest_program(fp_arith SOURCES fp_arith.c LIBS -lm)
guest_case(fp_arith)
guest_program(fp_format SOURCES fp_format.c LIBS -lm LINKS ${pic})
guest_case(fp_format)
guest_program(libm SOURCES libm.c LIBS -lm LINKS ${pic})
guest_case(libm)
guest_program(fenv SOURCES fenv.c FLAGS -frounding-math LIBS -lm)
guest_case(fenv)
# -Ofast: crtfastmath.o (selected by -Ofast on the link line) turns on flush-to-zero before main
# (FPCR.FZ; natively MXCSR FTZ/DAZ). RISC-V has no flush-to-zero mode, hence aarch64 only.
guest_program(fast_math SOURCES fast_math.c FLAGS -Ofast LIBS -lm ARCHES aarch64)
guest_case(fast_math)

# --- C library
guest_program(strings SOURCES strings.c LINKS ${pic})
guest_case(strings)
guest_program(printf_formats SOURCES printf_formats.c)
guest_case(printf_formats)
guest_program(time_fmt SOURCES time_fmt.c)
guest_case(time_fmt)
guest_program(setjmp SOURCES setjmp.c)
guest_case(setjmp)
guest_program(malloc_stress SOURCES malloc_stress.c LINKS ${pic})
guest_case(malloc_stress)

# --- larger computations
guest_program(recursion SOURCES recursion.c)
guest_case(recursion)
guest_program(minivm SOURCES minivm.c)
guest_case(minivm)
guest_program(compress SOURCES compress.c)
guest_case(compress)

# --- C++
guest_program(cpp_exceptions SOURCES cpp_exceptions.cpp LINKS ${pic})
guest_case(cpp_exceptions)
guest_program(cpp_iostream SOURCES cpp_iostream.cpp)
guest_case(cpp_iostream STDIN numbers.txt)
guest_program(cpp_stl SOURCES cpp_stl.cpp LINKS ${pic})
guest_case(cpp_stl)
guest_program(cpp_dispatch SOURCES cpp_dispatch.cpp)
guest_case(cpp_dispatch)

# --- threads
guest_program(threads SOURCES threads.c LIBS -pthread LINKS ${pic})
guest_case(threads)
guest_program(cpp_threads SOURCES cpp_threads.cpp LIBS -pthread LINKS ${pic})
guest_case(cpp_threads)

# --- operating-system interface
guest_program(files SOURCES files.c LINKS ${pic})
guest_case(files)
guest_program(mmap SOURCES mmap.c)
guest_case(mmap)
# smc.c holds riscv64 (and x86-64) machine code only.
guest_program(smc SOURCES smc.c LIBS -pthread ARCHES riscv64)
guest_case(smc)
# A store into the page its own code runs from (machine code for riscv64, aarch64 and x86-64).
guest_program(smc_same_page SOURCES smc_same_page.c)
guest_case(smc_same_page)
guest_program(process SOURCES process.c)
guest_case(process)
guest_program(signals SOURCES signals.c)
guest_case(signals)
# The arm64 esr_context record, compared with the x86-64 page-fault error code of the native run.
guest_program(fault_syndrome SOURCES fault_syndrome.c ARCHES aarch64)
guest_case(fault_syndrome)
guest_program(os_abi SOURCES os_abi.c FLAGS -frounding-math LIBS -lm LINKS ${pic})
guest_case(os_abi)
guest_program(argv_env SOURCES argv_env.c LINKS ${pic})
# The status is argc (6): main returns it.
guest_case(argv_env ARGS first <empty> "two words" "café" --flag=x STDIN numbers.txt STATUS 6
  ENV GT_ALPHA=1 GT_EMPTY= "GT_SPACE=a b  c" GT_ZED=last)

# --- how processes end
guest_program(exit_codes SOURCES exit_codes.c)
guest_case(exit_exit_7 PROGRAM exit_codes ARGS exit 7 STATUS 7)
guest_case(exit_exit_0 PROGRAM exit_codes ARGS exit 0)
guest_case(exit_return_300 PROGRAM exit_codes ARGS return 300 STATUS 44) # 300 & 0xff
guest_case(exit_underscore_42 PROGRAM exit_codes ARGS _exit 42 STATUS 42)
guest_case(exit_flushed_255 PROGRAM exit_codes ARGS flushed_exit 255 STATUS 255)
guest_program(die SOURCES die.c LINKS ${pic})
guest_case(die_null_write PROGRAM die ARGS null-write SIGNAL 11)
guest_case(die_null_read PROGRAM die ARGS null-read SIGNAL 11)
guest_case(die_unmapped PROGRAM die ARGS unmapped SIGNAL 11)
guest_case(die_readonly PROGRAM die ARGS readonly SIGNAL 11)
guest_case(die_abort PROGRAM die ARGS abort SIGNAL 6)
guest_case(die_raise_term PROGRAM die ARGS raise-term SIGNAL 15)
guest_case(die_kill_usr1 PROGRAM die ARGS kill-usr1 SIGNAL 10)
