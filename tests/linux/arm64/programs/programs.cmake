# Real Debian arm64 programs (label arm64-programs): shell scripts run by the arm64 busybox-static
# compared with the host's busybox (same Debian version), and dynamically linked arm64 programs
# (coreutils, sed, grep, gzip with their libraries, from the sysroot) compared with their amd64
# twins on the host. The sysroot comes from scripts/arm64-sysroot.sh (Debian packages, cached
# outside the tree); the first test builds it (network access the first time).
# Included by tests/linux/arm64/CMakeLists.txt; uses tests/guest/run_guest_test.py.
# On by default wherever polyvm has the arm64 frontend (all of them pass with it).
if(TARGET polyvm_frontend_arm64)
  set(default ON)
else()
  set(default OFF)
endif()
option(POLYVM_ARM64_PROGRAM_TESTS
  "Register the arm64-programs tests (they need the arm64 frontend, and apt access once)"
  ${default})
if(NOT POLYVM_ARM64_PROGRAM_TESTS)
  return()
endif()

execute_process(COMMAND ${PROJECT_SOURCE_DIR}/scripts/arm64-sysroot.sh --print-dir
                OUTPUT_VARIABLE default_sysroot OUTPUT_STRIP_TRAILING_WHITESPACE)
set(POLYVM_ARM64_SYSROOT "${default_sysroot}" CACHE PATH
  "The Debian arm64 sysroot of scripts/arm64-sysroot.sh")
set(POLYVM_ARM64_PROGRAMS_RUNNER "" CACHE STRING
  "Command running the arm64 programs (a list). Empty: polyvm run --engine=interp; qemu-aarch64 \
checks the tests themselves")
if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python3_EXECUTABLE /usr/bin/python3)
endif()
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(sysroot ${POLYVM_ARM64_SYSROOT})
set(dir ${CMAKE_CURRENT_SOURCE_DIR}/programs)
set(harness ${PROJECT_SOURCE_DIR}/tests/guest/run_guest_test.py)
if(POLYVM_ARM64_PROGRAMS_RUNNER STREQUAL "")
  set(runner --runner-arg=$<TARGET_FILE:polyvm> --runner-arg=run --runner-arg=--engine=interp
             --polyvm-runner)
else()
  set(runner "")
  foreach(word IN LISTS POLYVM_ARM64_PROGRAMS_RUNNER)
    list(APPEND runner "--runner-arg=${word}")
  endforeach()
endif()

add_test(NAME arm64-programs.sysroot
         COMMAND env POLYVM_ARM64_SYSROOT=${sysroot} ${PROJECT_SOURCE_DIR}/scripts/arm64-sysroot.sh)
set_tests_properties(arm64-programs.sysroot PROPERTIES LABELS arm64-programs TIMEOUT 600
                     FIXTURES_SETUP arm64_sysroot)

# arm64_program(<test> NATIVE <host program> GUEST <program in the sysroot> NAME <argv[0]>
#               [ALIASES <names>...] [ARGS ...] [STDIN <file in programs/>] [ENV K=V ...]
#               [STATUS <n>])
function(arm64_program test)
  cmake_parse_arguments(ARG "" "NATIVE;GUEST;NAME;STDIN;STATUS" "ALIASES;ARGS;ENV" ${ARGN})
  set(opts --timeout 300 --program-name ${ARG_NAME} --sysroot ${sysroot})
  if(ARG_STATUS)
    list(APPEND opts --expect-status ${ARG_STATUS})
  endif()
  foreach(a IN LISTS ARG_ALIASES)
    list(APPEND opts --alias ${a})
  endforeach()
  foreach(a IN LISTS ARG_ARGS)
    list(APPEND opts "--arg=${a}")
  endforeach()
  foreach(e IN LISTS ARG_ENV)
    list(APPEND opts "--env=${e}")
  endforeach()
  if(ARG_STDIN)
    list(APPEND opts --stdin ${dir}/${ARG_STDIN})
  endif()
  add_test(NAME arm64-programs.${test}
           COMMAND ${Python3_EXECUTABLE} ${harness} --name arm64-programs.${test}
                   --native ${ARG_NATIVE} --guest ${sysroot}${ARG_GUEST} ${runner} ${opts})
  set_tests_properties(arm64-programs.${test} PROPERTIES LABELS arm64-programs TIMEOUT 700
                       FIXTURES_REQUIRED arm64_sysroot)
endfunction()

# ---- shell scripts through busybox: every applet they call is the busybox under test ----
find_program(POLYVM_HOST_BUSYBOX NAMES busybox PATHS /bin /usr/bin NO_DEFAULT_PATH)
if(POLYVM_HOST_BUSYBOX)
  set(applets sh awk sed sort uniq head tail tr cut wc xargs seq yes printf cat md5sum sha1sum
              sha256sum sha512sum od tar gzip gunzip zcat cmp diff find touch mkdir echo)
  foreach(script loops pipes checksums sed_awk tar_gzip)
    arm64_program(busybox.${script} NATIVE ${POLYVM_HOST_BUSYBOX} GUEST /bin/busybox NAME sh
                  ALIASES ${applets} ARGS ${dir}/${script}.sh ENV PATH=<BIN>)
  endforeach()
else()
  message(WARNING "arm64-programs: no host busybox (apt-get install busybox): the busybox "
                  "script tests are not registered")
endif()

# ---- dynamically linked arm64 programs against their amd64 twins ----
arm64_program(coreutils.sort NATIVE /usr/bin/sort GUEST /usr/bin/sort NAME sort
              ARGS -k2,2 -k1,1r STDIN words.txt)
arm64_program(coreutils.md5sum NATIVE /usr/bin/md5sum GUEST /usr/bin/md5sum NAME md5sum
              ARGS ${dir}/words.txt)
arm64_program(coreutils.wc NATIVE /usr/bin/wc GUEST /usr/bin/wc NAME wc STDIN words.txt)
arm64_program(coreutils.factor NATIVE /usr/bin/factor GUEST /usr/bin/factor NAME factor
              ARGS 1234567890123456789012345678901 600851475143 4294967297 97)
arm64_program(coreutils.seq NATIVE /usr/bin/seq GUEST /usr/bin/seq NAME seq ARGS -s, -w 1 7 200)
arm64_program(coreutils.tr NATIVE /usr/bin/tr GUEST /usr/bin/tr NAME tr ARGS a-z A-Z
              STDIN words.txt)
arm64_program(sed NATIVE /usr/bin/sed GUEST /bin/sed NAME sed
              ARGS -E -e "s/([a-z]+) ([a-z]+)/\\2 \\1/g" -e "y/aeiou/AEIOU/" STDIN words.txt)
arm64_program(grep.pcre NATIVE /usr/bin/grep GUEST /bin/grep NAME grep
              ARGS -nP "\\b[a-z]{5}\\b|\\d{3,}" STDIN words.txt)
arm64_program(gzip NATIVE /usr/bin/gzip GUEST /bin/gzip NAME gzip ARGS -9 -n -c STDIN words.txt)
arm64_program(coreutils.missing_file NATIVE /usr/bin/cat GUEST /bin/cat NAME cat
              ARGS ${dir}/no-such-file STATUS 1)
