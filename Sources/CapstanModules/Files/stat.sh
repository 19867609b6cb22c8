# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs (p, follow, sum, mime) are assigned before this body (StatModule)
# A dangling symlink followed does not exist, as `os.stat` says.
if [ "$follow" = 1 ]; then [ -e "$p" ]; else [ -e "$p" ] || [ -L "$p" ]; fi || exit 0
# The tools write their lines after the record's tag themselves: simple commands, which dash `vfork`s,
# where `$(...)` would fork a copy of the shell first. `Z` is the stat line with blocks and block size
# after it.
if [ "$follow" = 1 ]; then
  printf 'Z '; stat -L -c '%f|%s|%u|%g|%U|%G|%.9Y|%.9X|%.9Z|%i|%d|%h|%b|%o' -- "$p" || echo
else
  printf 'Z '; stat -c '%f|%s|%u|%g|%U|%G|%.9Y|%.9X|%.9Z|%i|%d|%h|%b|%o' -- "$p" || echo
  if [ -L "$p" ]; then printf 'L %s\n' "$(readlink -- "$p")"; printf 'R %s\n' "$(readlink -f -- "$p")"; fi
fi
if [ -r "$p" ]; then echo 'A r'; fi; if [ -w "$p" ]; then echo 'A w'; fi; if [ -x "$p" ]; then echo 'A x'; fi
# $sum: the checksum tool (`sha1sum`), or empty for no checksum.
if [ -n "$sum" ] && [ -f "$p" ] && { [ "$follow" = 1 ] || [ ! -L "$p" ]; } && [ -r "$p" ]; then
  printf 'K '; "$sum" < "$p" || echo
fi
# Ansible runs `file` on the path itself, a symlink included, whatever `follow` says. A failed `file`
# adds an `N` record: what it printed does not count (Ansible wants rc 0).
if [ "$mime" = 1 ] && command -v file >/dev/null 2>&1; then
  printf 'M '; file --mime-type --mime-encoding -- "$p" || printf '\nN 1\n'
fi
