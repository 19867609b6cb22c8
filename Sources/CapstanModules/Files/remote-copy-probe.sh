# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs (s, p, base, contents) are assigned before this body (RemoteCopy)
if [ ! -e "$s" ]; then echo "E Source $s not found"; exit 0; fi
if [ -d "$s" ]; then
  [ "$contents" = 1 ] || p="${p%/}"/"$base"
  printf 'P %s\n' "$p"
  if [ -d "$p" ] && diff -rq -- "$s" "$p" >/dev/null 2>&1; then echo 'R same'; else echo 'R differ'; fi
  exit 0
fi
if [ -d "$p" ]; then p="${p%/}"/"$base"; fi
[ -e "$p" ] || [ -L "$p" ] || printf 'I %s|%s|%s|%s\n' "$(id -u)" "$(id -g)" "$(id -un)" "$(id -gn)"
printf 'P %s\n' "$p"; st "$p"; dn "$p"; if [ -d "$dn" ]; then echo 'D 1'; fi
printf 'J %s|%s\n' "$(sha1sum < "$s" | cut -d' ' -f1)" "$(stat -c '%a' -- "$s")"
if [ -f "$p" ]; then printf 'K %s\n' "$(sha1sum < "$p" | cut -d' ' -f1)"; fi
