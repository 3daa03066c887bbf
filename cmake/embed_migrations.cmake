# Writes OUTPUT: a C++ source holding every migration file of FILES, in order.
# Each file is named NNNN_name.sql; NNNN is its schema version.
set(body "// Generated from src/instctl/db/migrations/*.sql. Do not edit.\n#include \"instctl/db/migrations.hpp\"\n\nnamespace instctl::db {\nconst std::vector<Migration>& embedded_migrations() {\n  static const std::vector<Migration> list = {\n")
foreach(file ${FILES})
  get_filename_component(name ${file} NAME_WE)
  string(REGEX MATCH "^[0-9]+" number ${name})
  math(EXPR version "${number} + 0")
  file(READ ${file} sql)
  string(APPEND body "    {${version}, \"${name}\", R\"instctl_sql(${sql})instctl_sql\"},\n")
endforeach()
string(APPEND body "  };\n  return list;\n}\n}  // namespace instctl::db\n")
file(WRITE ${OUTPUT}.tmp "${body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
