# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
set -f
kname=$(printf '%s' "$name" | tr - _)
changed=0
loaded=0
if [ -r /proc/modules ] && kname=$kname awk '$1 == ENVIRON["kname"] { f = 1 } END { exit !f }' /proc/modules; then loaded=1; fi
builtin=/lib/modules/$(uname -r)/modules.builtin
if [ "$loaded" = 0 ] && [ -r "$builtin" ] &&
    name=$name awk 'BEGIN { f = "/" ENVIRON["name"] ".ko" } substr($0, length($0) - length(f) + 1) == f { m = 1 } END { exit !m }' "$builtin"; then
    loaded=1
fi
[ "$loaded" = 0 ] && [ -d "/sys/module/$kname" ] && loaded=1
need_modprobe() {
    command -v modprobe >/dev/null 2>&1 || die "Failed to find required executable \"modprobe\" in paths: $PATH"
}
if [ "$state" = present ] && [ "$loaded" = 0 ]; then
    need_modprobe
    if [ "$check" = 1 ]; then err=$(modprobe_words -n 2>&1); else err=$(modprobe_words 2>&1); fi || die "$err"
    changed=1
elif [ "$state" = absent ] && [ "$loaded" = 1 ]; then
    need_modprobe
    if [ "$check" = 1 ]; then err=$(modprobe -r -n -- "$name" 2>&1); else err=$(modprobe -r -- "$name" 2>&1); fi || die "$err"
    changed=1
fi
[ "$persistent" = disabled ] && { say changed "$changed"; exit 0; }

loads=/etc/modules-load.d opts=/etc/modprobe.d
files() { set +f; for f in "$1"/*; do [ -f "$f" ] && printf '%s\n' "$f"; done; set -f; }
# A modules-load.d line naming the module: spaces, the name, spaces, an optional comment.
load_line='BEGIN { n = ENVIRON["name"] } function is_load(l, r) { sub(/^ */, "", l); if (substr(l, 1, length(n)) != n) return 0
    r = substr(l, length(n) + 1); sub(/^ */, "", r); return r == "" || r ~ /^[#;]/ }'
# A modprobe.d line `options NAME KEY=VALUE [comment]`; prints KEY=VALUE.
opt_line='BEGIN { n = ENVIRON["name"] } function opt(l, p) { p = "options " n " "; if (substr(l, 1, length(p)) != p) return ""
    l = substr(l, length(p) + 1); if (l !~ /^[A-Za-z0-9_]+=[^ \t]+ *([#;].*)?$/) return ""
    sub(/[ \t].*$/, "", l); return l }'
persisted=0
for f in $(files "$loads"); do
    name=$name awk "$load_line"' is_load($0) { m = 1 } END { exit !m }' "$f" && persisted=1
done
current=$(for f in $(files "$opts"); do name=$name awk "$opt_line"' opt($0) != "" { print opt($0) }' "$f"; done | sort -u)
wanted=$(for p in $params; do printf '%s\n' "$p"; done | sort -u)
# Comments out, in every file of DIR, the lines the awk function FN matches.
comment_out() { # DIR FUNCTION-DEFINITION TEST
    for f in $(files "$1"); do
        new=$(name=$name awk "$2"' { if ('"$3"') print "#" $0; else print }' "$f") || die "Failed to read $f"
        [ "$new" = "$(cat "$f")" ] || printf '%s\n' "$new" >"$f" || die "Failed to write $f"
    done
}
write() { # FILE CONTENT
    # shellcheck disable=SC2015 # die when any step of the chain fails, as meant
    mkdir -p "$(dirname -- "$1")" && printf '%s\n' "$2" >"$1" || die "Failed to write $1"
}
if [ "$persistent" = present ]; then
    if [ "$persisted" = 0 ]; then
        changed=1
        [ "$check" = 1 ] || write "$loads/$name.conf" "$name"
    fi
    if [ "$current" != "$wanted" ]; then
        changed=1
        if [ "$check" = 0 ]; then
            # shellcheck disable=SC2016 # awk's expression, expanded by awk
            comment_out "$opts" "$opt_line" 'opt($0) != ""'
            write "$opts/$name.conf" "$(for p in $params; do printf 'options %s %s\n' "$name" "$p"; done)"
        fi
    fi
elif [ "$persistent" = absent ] && { [ "$persisted" = 1 ] || [ -n "$current" ]; }; then
    changed=1
    if [ "$check" = 0 ]; then
        # shellcheck disable=SC2016 # awk's expression, expanded by awk
        comment_out "$loads" "$load_line" 'is_load($0)'
        # shellcheck disable=SC2016 # awk's expression, expanded by awk
        comment_out "$opts" "$opt_line" 'opt($0) != ""'
    fi
fi
say changed "$changed"
