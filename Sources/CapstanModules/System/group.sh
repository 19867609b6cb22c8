# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
gr=$(getent group -- "$name")
gid_of() { g=${gr#*:}; g=${g#*:}; printf '%s' "${g%%:*}"; }
run() { out=$("$@" 2>&1) || { rc=$?; printf '%s\n' "$out" >&2; exit "$rc"; }; }
changed=0
if [ "$state" = absent ]; then
    if [ -n "$gr" ]; then
        changed=1
        [ "$check" = 1 ] && { say changed 1; say short 1; exit 0; }
        run groupdel -- "$name"
    fi
elif [ -z "$gr" ]; then
    [ "$check" = 1 ] && { say changed 1; say short 1; exit 0; }
    set -- "$name"
    [ "$system" = 1 ] && set -- -r "$@"
    if [ -n "$gid" ]; then [ "$non_unique" = 1 ] && set -- -o "$@"; set -- -g "$gid" "$@"; fi
    run groupadd "$@"
    changed=1
elif [ -n "$gid" ] && [ "$(gid_of)" != "$gid" ]; then
    changed=1
    if [ "$check" = 0 ]; then
        set -- -g "$gid" "$name"
        [ "$non_unique" = 1 ] && set -- -o "$@"
        run groupmod "$@"
    fi
fi
say changed "$changed"
[ "$changed" = 0 ] || gr=$(getent group -- "$name")
[ -z "$gr" ] || { g=${gr#*:}; g=${g#*:}; say gid "${g%%:*}"; }
