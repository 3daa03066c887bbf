# libFuzzer targets of the parsers of untrusted input (tests/fuzz/*.cpp), in a build of their
# own: make fuzz / make check configure it in build-fuzz with clang. Included before the
# library is defined, so the layer libraries of cmake/layers.cmake (the normal build's, with
# its unity batches and precompiled headers) are compiled with -fsanitize=fuzzer-no-link,
# address,undefined; instctl_fuzz_targets() then adds one executable per target, linking the
# libraries of the directories it includes (and what they link), and builds only those.

if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "INSTCTL_FUZZ needs clang (libFuzzer), not ${CMAKE_CXX_COMPILER_ID}: "
                      "configure with CXX=clang++ (Debian: apt-get install clang libclang-rt-14-dev)")
endif()
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer,address,undefined")
set(CMAKE_REQUIRED_LINK_OPTIONS "-fsanitize=fuzzer,address,undefined")
check_cxx_source_compiles([[
#include <cstddef>
#include <cstdint>
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }
]] INSTCTL_HAVE_LIBFUZZER)
unset(CMAKE_REQUIRED_FLAGS)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
if(NOT INSTCTL_HAVE_LIBFUZZER)
  message(FATAL_ERROR "clang cannot link -fsanitize=fuzzer: the libFuzzer runtime is missing "
                      "(Debian: apt-get install libclang-rt-14-dev)")
endif()

# -O1 without NDEBUG: library assertions (nlohmann::json's among them) stay on.
add_compile_options(-O1 -g -fsanitize=fuzzer-no-link,address,undefined
                    -fno-sanitize-recover=undefined -fno-omit-frame-pointer)

# At the top level: in a function, enable_testing() would not reach the directory (no tests).
enable_testing()

function(instctl_fuzz_targets)
  # A layer library is built only for the fuzz targets that link it.
  set_target_properties(${INSTCTL_LAYER_TARGETS} PROPERTIES EXCLUDE_FROM_ALL ON)
  file(GLOB targets CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/*.cpp)
  set(INSTCTL_FUZZ_SMOKE_SECONDS 20 CACHE STRING "How long make check fuzzes each target")
  foreach(source ${targets})
    get_filename_component(name ${source} NAME_WE)
    add_executable(fuzz_${name} ${source})
    # Each target links the layer libraries of the directories it includes (those link what is
    # below them); the static libraries give it only the objects (unity batches of eight files)
    # its parser reaches.
    file(STRINGS ${source} includes REGEX "^#include \"instctl/[a-z_]+/")
    set(libraries "")
    foreach(line IN LISTS includes)
      string(REGEX REPLACE "^#include \"instctl/([a-z_]+)/.*" "\\1" dir "${line}")
      if(NOT DEFINED INSTCTL_LAYER_LIBRARY_OF_${dir})
        message(FATAL_ERROR "${source}: ${dir}/ is in no library of cmake/layers.txt")
      endif()
      list(APPEND libraries ${INSTCTL_LAYER_LIBRARY_OF_${dir}})
    endforeach()
    list(REMOVE_DUPLICATES libraries)
    target_link_libraries(fuzz_${name} PRIVATE ${libraries})
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    set(corpus ${CMAKE_SOURCE_DIR}/tests/fuzz/corpus/${name})
    # Every corpus file once: the seeds and the inputs of fixed crashes stay fixed.
    add_test(NAME fuzz.${name}.corpus COMMAND fuzz_${name} -runs=0 ${corpus})
    # A short run from the corpus, so a new crash near it is caught.
    add_test(NAME fuzz.${name}.smoke
      COMMAND bash ${CMAKE_SOURCE_DIR}/tests/fuzz/run.sh $<TARGET_FILE:fuzz_${name}>
              ${INSTCTL_FUZZ_SMOKE_SECONDS} ${CMAKE_BINARY_DIR}/smoke/${name} ${corpus}
              ${CMAKE_BINARY_DIR}/artifacts)
    set_tests_properties(fuzz.${name}.corpus fuzz.${name}.smoke PROPERTIES LABELS fuzz TIMEOUT 600
      ENVIRONMENT "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
  endforeach()
endfunction()
