# Tests of the comparison harness itself, with native programs standing in for the guest (runner
# /usr/bin/env, or selftest_runner.py misbehaving on purpose): it must pass when both sides agree and report
# each kind of disagreement. Each failing case is recognised by its message, not only its status.
list(GET POLYVM_GUEST_OPT_LEVELS 0 opt)
set(bin ${CMAKE_CURRENT_BINARY_DIR}/native/${opt})
set(harness_cmd ${Python3_EXECUTABLE} ${harness} --timeout 60)
set(stand_in --runner-arg=${Python3_EXECUTABLE}
  --runner-arg=${CMAKE_CURRENT_SOURCE_DIR}/selftest_runner.py)

# name, expected-output regex, harness arguments
function(harness_selftest name regex)
  add_test(NAME guest.harness.${name} COMMAND ${harness_cmd} --name ${name} ${ARGN})
  # Plain regexes only: CMake's engine backtracks, and nested repeats over long output hang it.
  set_tests_properties(guest.harness.${name} PROPERTIES LABELS "guest;harness" TIMEOUT 150
                       PASS_REGULAR_EXPRESSION "${regex}")
  if(NOT name MATCHES "agree$|present$")
    set_tests_properties(guest.harness.${name} PROPERTIES FAIL_REGULAR_EXPRESSION ": ok \\(")
  endif()
endfunction()

set(env_runner --runner-arg=/usr/bin/env)
harness_selftest(agree "^agree: ok"
  --native ${bin}/exit_codes --guest ${bin}/exit_codes ${env_runner} --arg=exit --arg=7
  --expect-status 7)
harness_selftest(stdin_and_env_agree "^stdin_and_env_agree: ok"
  --native ${bin}/argv_env --guest ${bin}/argv_env ${env_runner} --arg=x --env=GT_A=1
  --stdin ${CMAKE_CURRENT_SOURCE_DIR}/inputs/numbers.txt --expect-status 2)
harness_selftest(stdout_differs "\n- stdout differs:\n--- native stdout\n"
  --native ${bin}/integer --guest ${bin}/bits ${env_runner})
# A runner that ignores the arguments: the guest side ends with _exit(42), losing its stdout.
harness_selftest(status_differs "\n- exit status differs: native 7, guest 42\n"
  --native ${bin}/exit_codes --guest ${bin}/exit_codes ${stand_in} --runner-arg=ignore-args
  --arg=exit --arg=7 --expect-status 7)
harness_selftest(native_expectation_wrong "\n- native run exited with 7 but the test expects 0: "
  --native ${bin}/exit_codes --guest ${bin}/exit_codes ${env_runner} --arg=exit --arg=7)
harness_selftest(signal_agree "^signal_agree: ok \\(status 139 \\(signal SIGSEGV\\)"
  --native ${bin}/die --guest ${bin}/die ${env_runner} --arg=null-write --expect-signal 11)
harness_selftest(signal_report_present "^signal_report_present: ok"
  --native ${bin}/die --guest ${bin}/die ${stand_in} --runner-arg=polyvm-report --polyvm-runner
  --arg=null-write --expect-signal 11)
harness_selftest(signal_report_missing "\n- guest stderr lacks the line 'polyvm: guest killed by SIGSEGV'"
  --native ${bin}/die --guest ${bin}/die ${env_runner} --polyvm-runner --arg=null-write
  --expect-signal 11)
# A runner that adds a line to stderr and changes nothing else.
harness_selftest(stderr_differs "\n\\+one more line\n"
  --native ${bin}/exit_codes --guest ${bin}/exit_codes ${stand_in} --runner-arg=extra-stderr
  --arg=exit --arg=7 --expect-status 7)
harness_selftest(runner_missing "FAIL: runner '/nonexistent/polyvm' not found"
  --native ${bin}/integer --guest ${bin}/integer --runner-arg=/nonexistent/polyvm)
