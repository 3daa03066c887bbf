# Writes OUTPUT: a C++ source holding the mails' plain-text templates (DIR/*.mustache), so the
# binary writes its mails without files beside it. Read through mail/mail_template.hpp.
file(GLOB templates ${DIR}/*.mustache)
list(SORT templates)
set(body "// Generated from src/instctl/mail/templates/. Do not edit.\n#include \"instctl/mail/mail_template.hpp\"\n\nnamespace instctl::mail {\n\nconst std::vector<MailTemplateFile>& embedded_mail_templates() {\n  static const std::vector<MailTemplateFile> all = {\n")
foreach(file ${templates})
  get_filename_component(name ${file} NAME_WE)
  file(READ ${file} text)
  string(APPEND body "      {\"${name}\", R\"instctl_mail(${text})instctl_mail\"},\n")
endforeach()
string(APPEND body "  };\n  return all;\n}\n\n}  // namespace instctl::mail\n")
file(WRITE ${OUTPUT}.tmp "${body}")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
