# Writes OUTPUT: a C++ source holding the web pages' templates (DIR/*.mustache, as text) and
# the favicon (DIR/favicon.ico, as bytes), so the binary serves them without files beside it.
# Read through http/web_assets.hpp.
file(GLOB templates ${DIR}/*.mustache)
list(SORT templates)
set(body "// Generated from src/instctl/http/templates/. Do not edit.\n#include \"instctl/http/web_assets.hpp\"\n\nnamespace instctl::http {\n\nconst std::vector<WebTemplate>& embedded_templates() {\n  static const std::vector<WebTemplate> all = {\n")
foreach(file ${templates})
  get_filename_component(name ${file} NAME_WE)
  file(READ ${file} text)
  string(APPEND body "      {\"${name}\", R\"instctl_html(${text})instctl_html\"},\n")
endforeach()
string(APPEND body "  };\n  return all;\n}\n\nnamespace {\nconstexpr unsigned char k_favicon[] = {")
file(READ ${DIR}/favicon.ico hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(APPEND body "${bytes}};\n}  // namespace\n\nstd::string_view favicon_ico() {\n  return {reinterpret_cast<const char*>(k_favicon), sizeof k_favicon};\n}\n\n}  // namespace instctl::http\n")
file(WRITE ${OUTPUT}.tmp "${body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
