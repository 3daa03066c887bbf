# libFuzzer targets of the parsers of untrusted input (tests/fuzz/*.cpp), in a build of their
# own: make fuzz / make check configure it in build-fuzz with clang. Only the library sources
# the targets need are compiled, with -fsanitize=fuzzer-no-link,address,undefined.

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

set(INSTCTL_FUZZ_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=undefined
                          -fno-omit-frame-pointer)
# -O1 without NDEBUG: library assertions (nlohmann::json's among them) stay on.
add_compile_options(-O1 -g)

# The parsers and what they call; nothing that touches the database or the network.
set(INSTCTL_PARSER_SOURCES
  activitypub/actor_parse.cpp activitypub/nodeinfo_parse.cpp activitypub/object_ref.cpp
  activitypub/instance_api.cpp activitypub/urls.cpp activitypub/webfinger.cpp
  activitypub/webfinger_parse.cpp
  auth/discovery.cpp auth/jwt.cpp
  core/byte_reader.cpp core/csv.cpp core/error.cpp core/json_stream.cpp core/untrusted_json.cpp
  crypto/digest.cpp crypto/http_signature.cpp crypto/message_signature.cpp crypto/pkey.cpp
  crypto/structured_field.cpp
  federation/domain_file.cpp federation/domain_rule.cpp federation/flag.cpp
  federation/inbox_activity.cpp federation/url_domain.cpp
  http/framing.cpp http/message.cpp
  invites/expiry.cpp
  users/directory_query.cpp users/import_rows.cpp users/user_ref.cpp
  util/address.cpp util/escape.cpp util/html.cpp util/ip_range.cpp
  util/markdown.cpp util/row_id.cpp util/strings.cpp util/time.cpp util/token_bucket.cpp
  util/url.cpp
  waitlist/import_file.cpp)
list(TRANSFORM INSTCTL_PARSER_SOURCES PREPEND ${CMAKE_SOURCE_DIR}/src/instctl/)
add_library(instctl_parsers STATIC ${INSTCTL_PARSER_SOURCES})
target_include_directories(instctl_parsers PUBLIC ${CMAKE_SOURCE_DIR}/src ${CMAKE_BINARY_DIR}/generated)
target_compile_options(instctl_parsers PUBLIC ${INSTCTL_FUZZ_SANITIZE} -fsanitize=fuzzer-no-link)
target_link_libraries(instctl_parsers PUBLIC
  nlohmann_json::nlohmann_json fmt::fmt OpenSSL::Crypto)

enable_testing()
file(GLOB INSTCTL_FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/fuzz/*.cpp)
set(INSTCTL_FUZZ_SMOKE_SECONDS 20 CACHE STRING "How long make check fuzzes each target")
foreach(source ${INSTCTL_FUZZ_TARGETS})
  get_filename_component(name ${source} NAME_WE)
  add_executable(fuzz_${name} ${source})
  target_link_libraries(fuzz_${name} PRIVATE instctl_parsers)
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
