# Writes OUTPUT: a C++ source holding the mustache templates of DIR (DIR/*.mustache, as text),
# so the binary renders them without files beside it. One script for the web pages'
# templates (http/web_assets.hpp) and the mails' (mail/mail_template.hpp); the caller names
# what differs:
#   HEADER     the header declaring the function and the entry type
#   NAMESPACE  the namespace of the function
#   FUNCTION   returns `const std::vector<TYPE>&`, one {name, text} entry per template
#   TYPE       the entry type
#   DELIM      the raw string's delimiter (no template may contain `)DELIM"`)
#   FAVICON    optional: a file embedded as bytes, read through `std::string_view favicon_ico()`
file(GLOB templates ${DIR}/*.mustache)
list(SORT templates)
file(RELATIVE_PATH from ${SOURCE_ROOT} ${DIR})
set(body "// Generated from ${from}/. Do not edit.\n#include \"${HEADER}\"\n\nnamespace ${NAMESPACE} {\n\nconst std::vector<${TYPE}>& ${FUNCTION}() {\n  static const std::vector<${TYPE}> all = {\n")
foreach(file ${templates})
  get_filename_component(name ${file} NAME_WE)
  file(READ ${file} text)
  string(FIND "${text}" ")${DELIM}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${file} contains ')${DELIM}\"', which ends the raw string it is embedded in")
  endif()
  string(APPEND body "      {\"${name}\", R\"${DELIM}(${text})${DELIM}\"},\n")
endforeach()
string(APPEND body "  };\n  return all;\n}\n")
if(FAVICON)
  file(READ ${FAVICON} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND body "\nnamespace {\nconstexpr unsigned char k_favicon[] = {${bytes}};\n}  // namespace\n\nstd::string_view favicon_ico() {\n  return {reinterpret_cast<const char*>(k_favicon), sizeof k_favicon};\n}\n")
endif()
string(APPEND body "\n}  // namespace ${NAMESPACE}\n")
file(WRITE ${OUTPUT}.tmp "${body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
