#include "instctl/http/routes/form_data.hpp"

#include <fmt/format.h>

#include "instctl/http/web_guard.hpp"

namespace instctl::http::views {

namespace {

using onboarding::FieldError;

constexpr std::string_view k_not_an_email = "' is not an email address";

std::string error_for(const std::vector<FieldError>& errors, std::string_view field) {
  for (const auto& e : errors) {
    if (e.field == field) return for_people(e.for_public());
  }
  return "";
}

mstch::map field_data(const Input& in, std::string error) {
  std::string describedby;
  if (!in.hint.empty()) describedby = in.name + "-hint";
  if (!error.empty()) describedby += (describedby.empty() ? "" : " ") + in.name + "-error";
  return mstch::map{
      {"name", in.name},
      {"label", in.label},
      {"type", in.type},
      {"value", in.type == "password" ? std::string() : in.value},
      {"hint", in.hint},
      {"autocomplete", in.autocomplete},
      {"required", in.required},
      {"locked", in.locked},
      {"textarea", in.textarea},
      {"checkbox", in.checkbox},
      {"checked", in.checked},
      {"max_length", in.max_length > 0 ? std::to_string(in.max_length) : std::string()},
      {"error", std::move(error)},
      {"describedby", std::move(describedby)}};
}

mstch::map summary_item(std::string field, std::string message) {
  return mstch::map{{"field", std::move(field)}, {"message", std::move(message)}};
}

}  // namespace

std::string for_people(std::string_view problem) {
  std::string s(problem);
  if (s.empty()) return s;
  if (s == "the username is empty") return "Choose a username.";
  if (s == "the email address is empty") return "Enter your email address.";
  // "'bob' is not an email address (no @)": the field shows what was typed.
  if (s.front() == '\'') {
    if (const auto at = s.find(k_not_an_email); at != std::string::npos) {
      s = "This is not an email address" + s.substr(at + k_not_an_email.size());
    }
  }
  if (s.front() >= 'a' && s.front() <= 'z') s.front() = static_cast<char>(s.front() - 'a' + 'A');
  if (s.back() != '.' && s.back() != '!' && s.back() != '?') s += '.';
  return s;
}

Form form_with_token(std::string id, std::string title, std::string action, std::string button,
                     const std::string& csrf_token) {
  Form f{.id = std::move(id),
         .title = std::move(title),
         .action = std::move(action),
         .button = std::move(button)};
  f.hidden.emplace_back(std::string(k_csrf_field), csrf_token);
  return f;
}

TemplateData form_data(const Form& f) {
  mstch::array summary;
  for (const auto& e : f.errors) {
    bool known = e.field == "agree" && f.agree;
    for (const auto& in : f.fields) known = known || in.name == e.field;
    if (!known) summary.emplace_back(summary_item("", for_people(e.for_public())));
  }
  mstch::array hidden;
  for (const auto& [name, value] : f.hidden)
    hidden.emplace_back(mstch::map{{"name", name}, {"value", value}});
  mstch::array fields;
  for (const auto& in : f.fields) {
    auto error = error_for(f.errors, in.name);
    if (!error.empty()) summary.emplace_back(summary_item(in.name, error));
    fields.emplace_back(field_data(in, std::move(error)));
  }
  TemplateData data{{"form_id", f.id},
                    {"title", f.title},
                    {"action", f.action},
                    {"button", f.button},
                    {"hidden", std::move(hidden)},
                    {"fields", std::move(fields)},
                    {"privacy_link", f.privacy_link},
                    {"agree", false}};
  if (f.agree) {
    auto error = error_for(f.errors, "agree");
    if (!error.empty()) summary.emplace_back(summary_item("agree", error));
    data["agree"] = mstch::map{{"has_rules", f.agree->has_rules},
                               {"site_name", f.agree->site_name},
                               {"checked", f.agree->checked},
                               {"error", std::move(error)}};
  }
  data.emplace("has_errors", !summary.empty());
  data.emplace("summary_title", std::string("Please correct the following to continue:"));
  data.emplace("errors", std::move(summary));
  return data;
}

}  // namespace instctl::http::views
