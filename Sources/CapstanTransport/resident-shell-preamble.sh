# shellcheck shell=sh
d=$(mktemp -d "${TMPDIR:-/tmp}/capstan-rs.XXXXXXXX") || exit 97
echo "$$" >"$d/pid"
trap 'rm -rf "$d"' EXIT
for o in "${TMPDIR:-/tmp}"/capstan-rs.*; do
[ "$o" != "$d" ] && [ -O "$o" ] && { read -r p <"$o/pid" && ! kill -0 "$p"; } 2>/dev/null && rm -rf "$o"
done
unset -v o p
trap 'exit 129' HUP
trap 'exit 143' TERM
# The tools module programs run most, looked up in PATH once: the children inherit the table, where each
# would search PATH again (a missing tool is simply not entered; a task that changes PATH empties the
# table for its own run).
hash stat cat sha1sum getent readlink awk sysctl systemctl file mktemp chmod chown mv rm dd wc id cp mkdir ln touch 2>/dev/null
printf 'capstan-ready %s %s\n' "$$" "$d"
