#pragma once

// The onboarding forms (sign-up, waitlist, partner sign-up) as data for the _form template:
// fields, hidden values, the agreement to the rules and the problems of a submitted form. The
// template writes the markup and escapes every value; this file decides what the form holds
// and how its problems are worded for the person filling it in.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "instctl/http/templates.hpp"
#include "instctl/onboarding/onboarding_service.hpp"

namespace instctl::http::views {

struct Input {
  std::string name{};
  std::string label{};
  std::string type = "text";  // text, email, password
  std::string value{};        // shown again after an error (never for passwords)
  std::string hint{};
  std::string autocomplete{};
  bool required = true;
  bool locked = false;    // read-only (an invite bound to one address)
  bool textarea = false;  // several lines
  bool checkbox = false;  // a yes/no choice: `label` beside the box, sent as "yes" when ticked
  bool checked = false;
  int max_length = 0;
};

// The required checkbox "I have read the rules (of SITE) and agree to them".
struct Agreement {
  bool has_rules = false;
  std::string site_name{};  // "" says "here"
  bool checked = false;
};

struct Form {
  std::string id{};      // the form's id, and the fragment its action ends with
  std::string title{};   // the card's heading
  std::string action{};  // where it posts
  std::string button{};
  std::vector<std::pair<std::string, std::string>> hidden{};
  std::vector<Input> fields{};
  std::optional<Agreement> agree{};              // its field is "agree"
  std::vector<onboarding::FieldError> errors{};  // the services' problems (their public words)
  // The form asks for an address and the instance has a privacy policy: a line links it.
  bool privacy_link = false;
};

// A form with the page's CSRF token and no fields yet (nothing but its button, as it is).
Form form_with_token(std::string id, std::string title, std::string action, std::string button,
                     const std::string& csrf_token);

// A problem as a sentence for a person: a capital letter, a full stop ("the username is
// empty" becomes "Choose a username."). Command-line words never come here: a service that
// words a problem for an operator gives its public words too (Problem::public_message).
std::string for_people(std::string_view problem);

// The form for {{#form}}{{> _form}}{{/form}}: each field with its error (aria-invalid,
// aria-describedby), and the summary of every error at the top, in the page's order.
TemplateData form_data(const Form& f);

}  // namespace instctl::http::views
