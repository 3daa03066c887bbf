// The fish completion script, generated from the command tree (see complete.hpp).

#include <fmt/format.h>

#include "complete.hpp"

namespace instctl::cli::completion {
namespace {

// The command-line walk and the value completion: the same for every command, so written once.
const char* const k_fish_body = R"sh(
# The command reached by the words before the cursor, how many positionals follow it, and the
# --db given; one walk per command line, however many conditions ask.
function __instctl_state
    set -l line (commandline -pc)
    if test "$line" = "$__instctl_state_line"
        printf '%s\n' $__instctl_state_value
        return
    end
    set -l tokens (commandline -opc)
    set -l node instctl
    set -l npos 0
    set -l db ''
    set -l i 2
    while test $i -le (count $tokens)
        set -l w $tokens[$i]
        if string match -qr -- '^-.' $w
            if string match -q -- '*=*' $w
                string match -q -- '--db=*' $w; and set db (string replace -- '--db=' '' $w)
            else if test (__instctl_optval "$node" $w) != flag
                set i (math $i + 1)
                test $w = --db; and test $i -le (count $tokens); and set db $tokens[$i]
            end
        else if test $npos -eq 0; and contains -- $w (string split ' ' (__instctl_subs "$node"))
            set node "$node $w"
        else
            set npos (math $npos + 1)
        end
        set i (math $i + 1)
    end
    set -g __instctl_state_line $line
    set -g __instctl_state_value $node $npos $db
    printf '%s\n' $__instctl_state_value
end

function __instctl_at --argument-names want
    test (__instctl_state)[1] = "$want"
end

# The candidates for a value spec (see __instctl_optval).
function __instctl_value --argument-names spec
    set -l state (__instctl_state)
    set -l token (string replace -r -- '^-[^=]*=' '' (commandline -ct))
    switch $spec
        case 'words:*'
            string split , (string replace 'words:' '' $spec)
        case 'values:*'
            set -l bin (commandline -opc)[1]
            set -l db
            test -n "$state[3]"; and set db --db $state[3]
            $bin $db __complete -- values (string replace 'values:' '' $spec) "$token" (commandline -opc)[-1] 2>/dev/null
        case files
            __fish_complete_path "$token"
    end
end

# The candidates for the next positional of the command reached.
function __instctl_positional
    set -l state (__instctl_state)
    set -l specs (string split ' ' (__instctl_posval $state[1]))
    test -n "$specs[1]"; or return
    set -l n (math $state[2] + 1)
    if test $n -le (count $specs)
        __instctl_value (string replace '...' '' $specs[$n])
    else if string match -q -- '*...' $specs[-1]
        __instctl_value (string replace '...' '' $specs[-1])
    end
end

complete -c instctl -f
)sh";

std::string condition(const Node& n) { return fmt::format("__instctl_at \"{}\"", n.path); }

void print_tables(const std::vector<Node>& nodes) {
  fmt::print("function __instctl_subs --argument-names node\n    switch $node\n");
  for (const auto& n : nodes) {
    std::vector<std::string> names;
    for (const auto& s : n.subs) names.push_back(s.name);
    if (!names.empty())
      fmt::print("        case '{}'\n            echo '{}'\n", n.path, fmt::join(names, " "));
  }
  fmt::print(
      "    end\nend\n\n"
      "# What follows an option: words:A,B (choices), values:KIND (from the database), files,\n"
      "# text (nothing offered), or flag for an option without a value.\n"
      "function __instctl_optval --argument-names node opt\n    switch \"$node|$opt\"\n");
  const Node* root = nullptr;
  for (const auto& n : nodes) {
    if (n.path == "instctl") {
      root = &n;
      continue;
    }
    for (const auto& o : n.options) {
      for (const auto& name : o.names) {
        fmt::print("        case '{}|{}'\n            echo {}\n", n.path, name, o.spec);
      }
    }
  }
  for (const auto& o : root ? root->options : std::vector<Option>{}) {
    for (const auto& name : o.names)
      fmt::print("        case '*|{}'\n            echo {}\n", name, o.spec);
  }
  fmt::print(
      "        case '*'\n            echo flag\n    end\nend\n\n"
      "# The positionals of a command, one spec each; the last repeats when it ends in '...'.\n"
      "function __instctl_posval --argument-names node\n    switch $node\n");
  for (const auto& n : nodes) {
    if (!n.positionals.empty()) {
      fmt::print("        case '{}'\n            echo '{}'\n", n.path, positional_specs(n));
    }
  }
  fmt::print("    end\nend\n");
}

void print_option(const Node& n, const Option& o) {
  std::string names;
  for (const auto& name : o.names) {
    names += name.starts_with("--") ? fmt::format(" -l {}", name.substr(2))
                                    : fmt::format(" -s {}", name.substr(1));
  }
  std::string args;
  if (o.spec == "files") {
    args = " -r -F";
  } else if (o.spec != "flag") {
    args = o.spec == "text" ? " -x" : fmt::format(" -x -a '(__instctl_value {})'", o.spec);
  }
  // Global options are accepted after the command too.
  const std::string where = n.path == "instctl" ? "" : fmt::format(" -n '{}'", condition(n));
  fmt::print("complete -c instctl{}{}{} -d '{}'\n", where, names, args, one_line(o.description));
}

}  // namespace

void print_fish(const std::vector<Node>& nodes) {
  fmt::print(
      "# fish completion for instctl. Generated by 'make completions' from the command tree;\n"
      "# do not edit. Install as /usr/share/fish/vendor_completions.d/instctl.fish.\n\n");
  print_tables(nodes);
  fmt::print("{}", k_fish_body);
  for (const auto& n : nodes) {
    for (const auto& s : n.subs) {
      fmt::print("complete -c instctl -n '{}' -a {} -d '{}'\n", condition(n), s.name,
                 one_line(s.description));
    }
    for (const auto& o : n.options) print_option(n, o);
    if (!n.positionals.empty()) {
      fmt::print("complete -c instctl -n '{}' -a '(__instctl_positional)'\n", condition(n));
    }
  }
}

}  // namespace instctl::cli::completion
