# Builds small programs for a guest architecture (or natively for comparison) with the GNU toolchains,
# outside the project compiler, as custom commands so Ninja rebuilds them when a source or header
# changes. Used by tests/guest and bench/.
#
#   polyvm_guest_find_toolchain(<arch> [REQUIRED])
#     Finds the C and C++ compilers for <arch> (riscv64, aarch64, x86_64, or native) and sets
#     POLYVM_GUEST_<ARCH>_CC, POLYVM_GUEST_<ARCH>_CXX (cache), POLYVM_GUEST_<ARCH>_SYSROOT and
#     POLYVM_GUEST_<ARCH>_FOUND in the caller. REQUIRED: a missing compiler stops configuration.
#
#   polyvm_guest_link_mode_supported(<arch> <mode> <out-var>)
#     Links a one-line program with <mode> (static, static-pie, dynamic) to see if the toolchain
#     can produce it (Debian's riscv64 glibc 2.36 has no rcrt1.o, so no static-pie).
#
#   polyvm_guest_executable(<target> ARCH <arch> SOURCES <src>...
#                           [OPT <-O level>] [LINK static|static-pie|dynamic]
#                           [FLAGS <compile flags>...] [LINK_FLAGS <flags>...] [LIBS <libs>...]
#                           [OUTPUT_DIR <dir>] [OUTPUT_NAME <name>] [DEPENDS <files>...] [NOT_ALL])
#     Defines custom target <target> that builds the executable; its path is in the target property
#     POLYVM_GUEST_FILE and in the variable <target>_FILE in the caller's scope. Objects are
#     compiled once per (arch, source, OPT, FLAGS) and shared by every link mode that uses them.
#     C++ is chosen per source by extension (.cc .cpp .cxx); the link uses the C++ driver if any
#     source is C++. Objects are always -fPIE so one object serves static, static-pie and dynamic.
#     FLAGS reach the link line too, as with a plain `gcc $CFLAGS` build: -Ofast/-ffast-math
#     select crtfastmath.o there, -pthread and -fopenmp their libraries.

include_guard(GLOBAL)

function(_polyvm_guest_triple arch out)
  # arch -> GNU triple of the Debian cross toolchain, one row per architecture. Kept inside the
  # function: a file-scope variable would be missing in directories that include this file after
  # the first (include_guard).
  set(triples
    "riscv64=riscv64-linux-gnu"
    "aarch64=aarch64-linux-gnu"
    "x86_64=x86_64-linux-gnu")
  foreach(row IN LISTS triples)
    string(REPLACE "=" ";" kv "${row}")
    list(GET kv 0 k)
    list(GET kv 1 v)
    if(k STREQUAL arch)
      set(${out} "${v}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "PolyvmGuest: unknown guest architecture '${arch}' (known: riscv64, aarch64, x86_64, native)")
endfunction()

function(polyvm_guest_find_toolchain arch)
  cmake_parse_arguments(ARG "REQUIRED" "" "" ${ARGN})
  string(TOUPPER "${arch}" up)
  if(arch STREQUAL "native")
    # The comparison side is always GNU: the project may be built with clang, but native and guest
    # programs should come from the same compiler family and version.
    find_program(POLYVM_GUEST_NATIVE_CC NAMES gcc DOC "Host C compiler for native reference builds")
    find_program(POLYVM_GUEST_NATIVE_CXX NAMES g++ DOC "Host C++ compiler for native reference builds")
    set(sysroot "")
  else()
    _polyvm_guest_triple(${arch} triple)
    find_program(POLYVM_GUEST_${up}_CC NAMES ${triple}-gcc ${triple}-gcc-12
                 DOC "C cross compiler for ${arch} guest programs")
    find_program(POLYVM_GUEST_${up}_CXX NAMES ${triple}-g++ ${triple}-g++-12
                 DOC "C++ cross compiler for ${arch} guest programs")
    set(sysroot "/usr/${triple}")
  endif()
  set(found TRUE)
  foreach(tool CC CXX)
    set(path "${POLYVM_GUEST_${up}_${tool}}")
    if(NOT path OR NOT EXISTS "${path}")
      set(found FALSE)
    endif()
  endforeach()
  if(ARG_REQUIRED AND NOT found)
    if(arch STREQUAL "native")
      set(hint "apt-get install gcc g++")
    else()
      set(hint "apt-get install gcc-${triple} g++-${triple}")
    endif()
    message(FATAL_ERROR
      "PolyvmGuest: the ${arch} C/C++ compilers were not found "
      "(CC='${POLYVM_GUEST_${up}_CC}', CXX='${POLYVM_GUEST_${up}_CXX}'). Install them (${hint}) "
      "or configure with -DPOLYVM_GUEST_TESTS=OFF.")
  endif()
  set(POLYVM_GUEST_${up}_SYSROOT "${sysroot}" PARENT_SCOPE)
  set(POLYVM_GUEST_${up}_FOUND ${found} PARENT_SCOPE)
endfunction()

function(_polyvm_guest_link_flags mode out)
  if(mode STREQUAL "static")
    set(${out} "-static" PARENT_SCOPE)
  elseif(mode STREQUAL "static-pie")
    set(${out} "-static-pie" PARENT_SCOPE)
  elseif(mode STREQUAL "dynamic")
    set(${out} "-pie" PARENT_SCOPE)
  else()
    message(FATAL_ERROR "PolyvmGuest: unknown link mode '${mode}' (static, static-pie, dynamic)")
  endif()
endfunction()

function(polyvm_guest_link_mode_supported arch mode out)
  string(TOUPPER "${arch}" up)
  set(cache_var POLYVM_GUEST_${up}_CAN_LINK_${mode})
  string(REPLACE "-" "_" cache_var "${cache_var}")
  if(NOT DEFINED ${cache_var})
    set(dir "${CMAKE_BINARY_DIR}/CMakeFiles/polyvm_guest_probe")
    file(MAKE_DIRECTORY "${dir}")
    file(WRITE "${dir}/probe.c" "int main(void) { return 0; }\n")
    _polyvm_guest_link_flags(${mode} lflags)
    execute_process(
      COMMAND ${POLYVM_GUEST_${up}_CC} -fPIE ${lflags} "${dir}/probe.c" -o "${dir}/probe-${mode}"
      RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(rc EQUAL 0)
      set(ok TRUE)
    else()
      set(ok FALSE)
    endif()
    set(${cache_var} ${ok} CACHE INTERNAL "Whether the ${arch} toolchain links ${mode} programs")
  endif()
  set(${out} ${${cache_var}} PARENT_SCOPE)
endfunction()

function(polyvm_guest_executable target)
  cmake_parse_arguments(ARG "NOT_ALL" "ARCH;OPT;LINK;OUTPUT_DIR;OUTPUT_NAME"
                        "SOURCES;FLAGS;LINK_FLAGS;LIBS;DEPENDS" ${ARGN})
  if(NOT ARG_ARCH OR NOT ARG_SOURCES)
    message(FATAL_ERROR "polyvm_guest_executable(${target}): ARCH and SOURCES are required")
  endif()
  string(TOUPPER "${ARG_ARCH}" up)
  if(NOT POLYVM_GUEST_${up}_CC)
    polyvm_guest_find_toolchain(${ARG_ARCH} REQUIRED)
  endif()
  if(NOT ARG_OPT)
    set(ARG_OPT -O2)
  endif()
  if(NOT ARG_LINK)
    set(ARG_LINK static)
  endif()
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  if(NOT ARG_OUTPUT_NAME)
    set(ARG_OUTPUT_NAME "${target}")
  endif()
  _polyvm_guest_link_flags(${ARG_LINK} link_mode_flags)

  set(objects "")
  set(driver "${POLYVM_GUEST_${up}_CC}")
  foreach(src IN LISTS ARG_SOURCES)
    cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" OUTPUT_VARIABLE abs)
    cmake_path(GET abs EXTENSION LAST_ONLY ext)
    cmake_path(GET abs STEM LAST_ONLY stem)
    if(ext MATCHES "^\\.(cc|cpp|cxx)$")
      set(compiler "${POLYVM_GUEST_${up}_CXX}")
      set(driver "${POLYVM_GUEST_${up}_CXX}")
    else()
      set(compiler "${POLYVM_GUEST_${up}_CC}")
    endif()
    # One object per (directory, arch, source, flags): every link mode reuses it.
    string(SHA1 key "${CMAKE_CURRENT_BINARY_DIR}|${ARG_ARCH}|${abs}|${ARG_OPT}|${ARG_FLAGS}")
    string(SUBSTRING "${key}" 0 12 key)
    set(obj "${CMAKE_CURRENT_BINARY_DIR}/guest-obj/${ARG_ARCH}/${stem}-${key}.o")
    get_property(done GLOBAL PROPERTY POLYVM_GUEST_OBJ_${key})
    if(NOT done)
      set_property(GLOBAL PROPERTY POLYVM_GUEST_OBJ_${key} TRUE)
      cmake_path(RELATIVE_PATH obj BASE_DIRECTORY "${CMAKE_BINARY_DIR}" OUTPUT_VARIABLE rel_obj)
      add_custom_command(
        OUTPUT "${obj}"
        COMMAND "${compiler}" ${ARG_OPT} -fPIE ${ARG_FLAGS} -MD -MF "${obj}.d" -c "${abs}" -o "${obj}"
        DEPENDS "${abs}" ${ARG_DEPENDS}
        DEPFILE "${obj}.d"
        COMMENT "Compiling ${ARG_ARCH} object ${rel_obj}"
        VERBATIM COMMAND_EXPAND_LISTS)
    endif()
    list(APPEND objects "${obj}")
  endforeach()

  set(exe "${ARG_OUTPUT_DIR}/${ARG_OUTPUT_NAME}")
  cmake_path(RELATIVE_PATH exe BASE_DIRECTORY "${CMAKE_BINARY_DIR}" OUTPUT_VARIABLE rel_exe)
  add_custom_command(
    OUTPUT "${exe}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${ARG_OUTPUT_DIR}"
    COMMAND "${driver}" ${ARG_OPT} ${ARG_FLAGS} ${link_mode_flags} ${ARG_LINK_FLAGS} ${objects}
            -o "${exe}" ${ARG_LIBS}
    DEPENDS ${objects}
    COMMENT "Linking ${ARG_ARCH} ${ARG_LINK} executable ${rel_exe}"
    VERBATIM COMMAND_EXPAND_LISTS)
  if(ARG_NOT_ALL)
    add_custom_target(${target} DEPENDS "${exe}")
  else()
    add_custom_target(${target} ALL DEPENDS "${exe}")
  endif()
  set_target_properties(${target} PROPERTIES POLYVM_GUEST_FILE "${exe}")
  set(${target}_FILE "${exe}" PARENT_SCOPE)
endfunction()
