# The libFuzzer harnesses (clang only), declared once for both ways of building them: the small
# stand-alone project in this folder (CI: only the harnesses and the sources they test, no
# interpreter or JIT) and POLYVM_FUZZ=ON in a full clang build (tests/device/CMakeLists.txt).
# Each harness compiles the parser it tests straight from src/ with coverage and sanitizers, and
# becomes a ctest (label "fuzz") that runs for POLYVM_FUZZ_SECONDS from its seed corpus.
set(POLYVM_FUZZ_SECONDS 20 CACHE STRING "How long each fuzz ctest runs")
get_filename_component(polyvm_fuzz_root ${CMAKE_CURRENT_LIST_DIR}/../.. ABSOLUTE)
find_package(fmt REQUIRED)
find_package(Threads REQUIRED)
find_library(POLYVM_FDT_LIBRARY NAMES fdt REQUIRED)
find_path(POLYVM_FDT_INCLUDE libfdt.h REQUIRED)

# Compile options of everything linked into a harness: coverage and sanitizers throughout.
function(polyvm_fuzz_flags target)
  target_include_directories(${target} PRIVATE ${polyvm_fuzz_root}/include)
  target_compile_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined
                                           -fno-sanitize-recover=undefined -g)
endfunction()

# polyvm_fuzz_objects(<name> <files under src/>...): sources shared by several harnesses, compiled
# once.
function(polyvm_fuzz_objects name)
  list(TRANSFORM ARGN PREPEND ${polyvm_fuzz_root}/src/)
  add_library(${name} OBJECT ${ARGN})
  polyvm_fuzz_flags(${name})
endfunction()

# polyvm_fuzzer(<name> HARNESS <file under tests/> [SOURCES <files under src/>] [LIBS ...]): the
# seed corpus is <harness folder>/corpus/<name>; new inputs go to the build tree, crash artifacts
# too (the failing test's output names the file).
function(polyvm_fuzzer name)
  cmake_parse_arguments(ARG "" "HARNESS" "SOURCES;LIBS" ${ARGN})
  list(TRANSFORM ARG_SOURCES PREPEND ${polyvm_fuzz_root}/src/)
  add_executable(${name} ${polyvm_fuzz_root}/tests/${ARG_HARNESS} ${ARG_SOURCES})
  polyvm_fuzz_flags(${name})
  target_link_libraries(${name} PRIVATE fmt::fmt ${ARG_LIBS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  get_filename_component(harness_dir ${polyvm_fuzz_root}/tests/${ARG_HARNESS} DIRECTORY)
  set(seeds ${harness_dir}/corpus/${name})
  set(corpus ${CMAKE_CURRENT_BINARY_DIR}/${name}_corpus)
  file(MAKE_DIRECTORY ${corpus})
  add_test(NAME ${name}
           COMMAND ${name} -max_total_time=${POLYVM_FUZZ_SECONDS} -rss_limit_mb=2048
                   -print_final_stats=1 -artifact_prefix=${CMAKE_CURRENT_BINARY_DIR}/${name}-
                   ${corpus} ${seeds})
  set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT 600)
endfunction()

polyvm_fuzz_objects(polyvm_fuzz_virtio
  device/diag.cpp device/virtio/virtqueue.cpp device/virtio/blk_request.cpp
  device/virtio/virtio_mmio.cpp device/virtio/virtio_rng.cpp)
foreach(fuzzer virtqueue_fuzz blk_request_fuzz virtio_mmio_fuzz)
  polyvm_fuzzer(${fuzzer} HARNESS device/fuzz/${fuzzer}.cpp LIBS polyvm_fuzz_virtio)
endforeach()
polyvm_fuzzer(virt_fdt_fuzz HARNESS machine/fuzz/virt_fdt_fuzz.cpp
              SOURCES machine/riscv64/virt_fdt.cpp LIBS ${POLYVM_FDT_LIBRARY})
target_include_directories(virt_fdt_fuzz PRIVATE ${POLYVM_FDT_INCLUDE})
polyvm_fuzzer(virt_boot_fuzz HARNESS machine/fuzz/virt_boot_fuzz.cpp
              SOURCES machine/riscv64/virt_boot.cpp)
polyvm_fuzzer(board_mmio_fuzz HARNESS machine/fuzz/board_mmio_fuzz.cpp
              SOURCES device/uart16550.cpp device/plic.cpp device/memory_char_backend.cpp
                      machine/riscv64/clint.cpp
              LIBS polyvm_fuzz_virtio Threads::Threads)
polyvm_fuzzer(elf_info_fuzz HARNESS linux/fuzz/elf_info_fuzz.cpp SOURCES linux/elf_file.cpp)
