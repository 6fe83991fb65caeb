# Warnings, sanitizers and the helper that defines one library per source folder.

add_compile_options(-Wall -Wextra -Werror)
# The interpreter and FP semantics depend on the dynamic rounding mode and on exception flags
# raised by host FP instructions; forbid optimisations that would assume the defaults.
add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-frounding-math>)
# GCC 12 at -O3 (the Release build) reports `"literal" + std::string` as an overlapping memcpy in
# libstdc++'s char_traits.h (GCC PR 105329) and vector constructions in stl_construct.h as writes
# past their end (-Wstringop-overflow): false positives in a dozen tests, gone in
# GCC 13. Only GCC 12's -O3 builds keep them warnings.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options($<$<CONFIG:Release>:-Wno-error=restrict> $<$<CONFIG:Release>:-Wno-error=stringop-overflow>)
endif()

if(POLYVM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # GCC 12's flow analysis under the sanitizers reports std::regex's own NFA as copying an
  # uninitialised std::function (libstdc++ regex_automaton.h, GCC PR 105562): a false positive in
  # every test that uses <regex>. Only this configuration drops the warning; the normal builds
  # keep it.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
endif()

# polyvm_library(<folder-name> SOURCES ... DEPS ...)
# Defines target polyvm_<name> (name = folder with '/' replaced by '_') with public headers under
# include/polyvm/<folder>/.
function(polyvm_library folder)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  string(REPLACE "/" "_" name "${folder}")
  add_library(polyvm_${name} STATIC ${ARG_SOURCES})
  target_include_directories(polyvm_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(polyvm_${name} PUBLIC ${ARG_DEPS})
endfunction()
