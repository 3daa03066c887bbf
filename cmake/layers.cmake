# One static library per target of cmake/layers.txt (the layer order, written once): the
# library instctl_<TARGET> holds the sources of the table's directories with that target, and
# links only the libraries of the directories they may include. A call from a lower library
# into a higher one therefore fails to link, as an include against the table fails
# scripts/check_layers.py. The `cmd` line is the executable, not a library.
#
# After instctl_layer_targets(), INSTCTL_LAYER_TARGETS lists the libraries highest first, the
# order of a static link line (instctl and unit_tests link them all), and
# INSTCTL_LAYER_LIBRARY_OF_<directory> names a directory's library (each fuzz target of
# cmake/fuzz.cmake links those of the directories it includes).
# The headers nearly every translation unit parses (the standard library's most used, fmt,
# nlohmann::json), compiled once per target rather than once per file: most of a file's build
# time was spent parsing them. Each file still includes what it uses: a build with
# -DINSTCTL_UNITY_BUILD=OFF -DINSTCTL_PRECOMPILED_HEADERS=OFF compiles every file alone, where a
# missing include fails.
function(instctl_precompile_headers target)
  if(NOT INSTCTL_PRECOMPILED_HEADERS)
    return()
  endif()
  target_precompile_headers(${target} PRIVATE
    <algorithm> <chrono> <cstdint> <functional> <map> <memory> <optional> <string>
    <string_view> <utility> <vector> <fmt/format.h> <nlohmann/json.hpp>)
endfunction()

function(instctl_layer_targets)
  file(STRINGS ${CMAKE_SOURCE_DIR}/cmake/layers.txt lines)
  set(seen "")
  set(targets "")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "#.*" "" line "${line}")
    string(STRIP "${line}" line)
    if(line STREQUAL "")
      continue()
    endif()
    separate_arguments(words UNIX_COMMAND "${line}")
    list(POP_FRONT words dir target)
    if(words STREQUAL "*")
      set(words ${seen})
    endif()
    list(APPEND seen ${dir})
    set(target_of_${dir} ${target})
    if(dir STREQUAL "cmd")
      continue()
    endif()
    set(INSTCTL_LAYER_LIBRARY_OF_${dir} instctl_${target} PARENT_SCOPE)
    if(NOT target IN_LIST targets)
      list(APPEND targets ${target})
      set(dirs_${target} "")
      set(links_${target} "")
    endif()
    list(APPEND dirs_${target} ${dir})
    foreach(dep IN LISTS words)
      if(NOT target_of_${dep} STREQUAL target)
        list(APPEND links_${target} instctl_${target_of_${dep}})
      endif()
    endforeach()
  endforeach()
  set(libraries "")
  foreach(target IN LISTS targets)
    set(sources "")
    foreach(dir IN LISTS dirs_${target})
      file(GLOB_RECURSE dir_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/instctl/${dir}/*.cpp)
      list(APPEND sources ${dir_sources})
    endforeach()
    add_library(instctl_${target} STATIC ${sources})
    target_include_directories(instctl_${target} PUBLIC ${CMAKE_SOURCE_DIR}/src
                               ${CMAKE_BINARY_DIR}/generated)
    instctl_precompile_headers(instctl_${target})
    list(REMOVE_DUPLICATES links_${target})
    target_link_libraries(instctl_${target} PUBLIC ${links_${target}})
    list(APPEND libraries instctl_${target})
  endforeach()
  list(REVERSE libraries)
  set(INSTCTL_LAYER_TARGETS ${libraries} PARENT_SCOPE)
endfunction()
