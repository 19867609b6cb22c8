# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs (p, statted) are assigned before this body (RemoteTextFile)
if [ "$statted" = 1 ]; then
  [ -e "$p" ] || [ -L "$p" ] || printf 'I %s|%s|%s|%s\n' "$(id -u)" "$(id -g)" "$(id -un)" "$(id -gn)"
fi
if [ -d "$p" ]; then echo 'T directory'
elif [ -e "$p" ]; then
  if [ "$statted" = 1 ]; then stl "$p"; else echo 'X 1'; fi
  if [ -r "$p" ]; then cntlast "$p"; else echo 'E Permission denied'; fi
fi
