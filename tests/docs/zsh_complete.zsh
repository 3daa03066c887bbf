# Prints what zsh's completion system offers for command lines: for each, the matches one a
# line, then a line "<end>".
# Usage: zsh -f zsh_complete.zsh FPATH_DIR 'instctl users sus' 'instctl --format ' ...
# A real interactive zsh in a pseudo-terminal (zpty) loads the completion system (compinit) and
# the _instctl found in FPATH_DIR; each line is typed and completed with Tab, then erased.
# compadd is wrapped to print the matches it accepts (after zsh's own matching against what was
# typed) before adding them.
zmodload zsh/zpty || exit 2
local dir=$1 line out init=${TMPDIR:-/tmp}/zsh-complete-init.$$
cat >$init <<INIT
PS1='' RPS1=''
fpath=($dir /usr/share/zsh/functions/Completion /usr/share/zsh/functions/Completion/Base
       /usr/share/zsh/functions/Completion/Unix /usr/share/zsh/functions/Completion/Zsh)
autoload -Uz compinit && compinit -u -D
# Tab completes, then marks the end of the matches.
__complete_and_mark() { zle complete-word; print -r -- '<done>' }
zle -N __complete_and_mark
bindkey '^I' __complete_and_mark
compadd() {
  # Calls that only filter or collect (-O, -A, -D) are the completion system's own plumbing.
  if (( \${@[(I)-[OAD]*]} )); then builtin compadd "\$@"; return; fi
  local -a __matches
  builtin compadd -O __matches "\$@"
  (( \$#__matches )) && print -rl -- "<match>"\${^__matches}
  builtin compadd "\$@"
}
print -r -- '<ready>'
INIT
zpty shell zsh -f -i
zpty -w shell "source $init"
while zpty -r shell out; do [[ $out == *'<ready>'* && $out != *print* ]] && break; done
for line in ${@:2}; do
  # Ctrl-U erases what the previous completion left on the line.
  zpty -w -n shell $'\C-u'"$line"$'\t'
  while zpty -r shell out; do
    [[ $out == *'<done>'* ]] && break
    # A match ends a line (the first one may follow the echoed command line).
    [[ $out == *'<match>'* ]] && print -r -- ${${out##*<match>}//[$'\r\n']}
  done
  print -r -- '<end>'
done
zpty -d shell
rm -f $init
