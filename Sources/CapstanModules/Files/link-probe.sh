# shellcheck shell=sh
# shellcheck disable=SC2154 # p, the path, is assigned before this piece (FilePathFacts.program)
if [ -L "$p" ]; then
  x=$(QUOTING_STYLE=literal stat -c '%f|%s|%u|%g|%U|%G|%.9Y|%.9X|%.9Z|%i|%d|%h
%N' -- "$p"); n=${x#*'
'}; printf 'S %s\n' "${x%%'
'*}"
  case $n in "$p -> "*) n=${n#"$p -> "} ;; *) n=$(readlink -- "$p") ;; esac
  printf 'L %s\n' "$n"
else st "$p"; fi
