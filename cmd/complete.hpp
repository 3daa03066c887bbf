#pragma once
// The command tree as the shell completions see it. cmd/complete.cpp builds it from the CLI11
// tree; cmd/complete_{bash,zsh,fish}.cpp write one script per shell from it, so the scripts
// cannot miss a command or an option.

#include <string>
#include <vector>

namespace instctl::cli::completion {

// What a value (an option's argument or a positional) completes to, spelled without spaces so
// the scripts can keep lists of them in words:
//   words:a,b,c    fixed choices (from CLI::IsMember)
//   values:KIND    asked at completion time from `instctl [--db PATH] __complete values KIND`
//   files          file names
//   text           free text: nothing is offered
// Options without a value have the spec "flag".
struct Option {
  std::vector<std::string> names;  // --email, -e
  std::string spec;
  std::string description;
};

struct Sub {
  std::string name;
  std::string description;
};

struct Node {
  std::string path;  // "instctl", "instctl users", "instctl users create"
  std::string description;
  std::vector<Sub> subs;
  std::vector<Option> options;
  // One spec per positional; the last one repeats when it ends in "..." (USER...).
  std::vector<std::string> positionals;
  std::vector<std::string> positional_names;  // USER, FILE, ...
};

// The first line of a help text, without characters that would need quoting in a script.
std::string one_line(const std::string& text);
// Every option name of a node, space-separated.
std::string option_names(const Node& n);
// The positional specs of a node, space-separated ("" for none).
std::string positional_specs(const Node& n);

void print_bash(const std::vector<Node>& nodes);
void print_zsh(const std::vector<Node>& nodes);
void print_fish(const std::vector<Node>& nodes);

}  // namespace instctl::cli::completion
