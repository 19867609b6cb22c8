# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
set -f
IFS= read -r password || true
pw=$(getent passwd -- "$name")
# `nth LINE N`, `field N` (of the passwd line) and `group_field GROUP N` set $f: no `$(...)`, which
# would fork a subshell each time.
nth() { _f=$1; _n=$2; while [ "$_n" -gt 1 ]; do case $_f in *:*) _f=${_f#*:} ;; *) _f= ;; esac; _n=$((_n - 1)); done; f=${_f%%:*}; }
field() { nth "$pw" "$1"; }
group_exists() { getent group -- "$1" >/dev/null 2>&1; }
group_field() { _g=$(getent group -- "$1"); nth "$_g" "$2"; }
need() { command -v "$1" >/dev/null 2>&1 || die "Failed to find required executable \"$1\" in paths: $PATH"; }
run() { out=$("$@" 2>&1) || { rc=$?; printf '%s\n' "$out" >&2; exit "$rc"; }; }
changed=0
if [ "$state" = absent ]; then
    [ -n "$pw" ] || { say changed 0; exit 0; }
    say changed 1
    [ "$check" = 1 ] && { say short 1; exit 0; }
    need userdel
    set -- "$name"
    [ "$remove" = 1 ] && set -- -r "$@"
    [ "$force" = 1 ] && set -- -f "$@"
    run userdel "$@"
    exit 0
fi
# Ansible predicts a new account before it looks at its groups.
[ -z "$pw" ] && [ "$check" = 1 ] && { say changed 1; say short 1; exit 0; }
if [ "$has_groups" = 1 ] && [ -n "$groups" ]; then
    old_ifs=$IFS; IFS=,
    for g in $groups; do
        g=$(printf '%s' "$g" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
        [ -z "$g" ] || group_exists "$g" || die "Group $g does not exist"
    done
    IFS=$old_ifs
fi
gline=
if [ -n "$group" ]; then gline=$(getent group -- "$group" 2>/dev/null) || die "Group $group does not exist"; fi
set_password=0
if [ -z "$pw" ]; then
    [ "$check" = 1 ] && { say changed 1; say short 1; exit 0; }
    need useradd
    set -- "$name"
    [ "$system" = 1 ] && set -- -r "$@"
    if [ "$create_home" = 1 ]; then set -- -m "$@"; else set -- -M "$@"; fi
    [ -n "$shell" ] && set -- -s "$shell" "$@"
    if [ -n "$home" ]; then
        [ "$create_home" = 1 ] && mkdir -p -- "$(dirname -- "$home")"
        set -- -d "$home" "$@"
    fi
    [ "$has_comment" = 1 ] && set -- -c "$comment" "$@"
    [ "$has_groups" = 1 ] && [ -n "$groups" ] && set -- -G "$groups" "$@"
    if [ -n "$group" ]; then set -- -g "$group" "$@"; elif group_exists "$name"; then set -- -N "$@"; fi
    if [ -n "$uid" ]; then [ "$non_unique" = 1 ] && set -- -o "$@"; set -- -u "$uid" "$@"; fi
    run useradd "$@"
    changed=1
    say created 1
    [ "$has_password" = 1 ] && set_password=1
else
    set -- "$name"
    field 3
    [ -n "$uid" ] && [ "$f" != "$uid" ] && {
        set -- -u "$uid" "$@"
        [ "$non_unique" = 1 ] && set -- -o "$@"
    }
    if [ -n "$group" ]; then
        nth "$gline" 3; want=$f; field 4
        [ "$f" != "$want" ] && set -- -g "$want" "$@"
    fi
    if [ "$has_groups" = 1 ]; then
        current=$(getent group | name=$name awk -F: '{
            n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == ENVIRON["name"]) print $1 }' | sort -u)
        wanted=$(
            IFS=,
            for g in $groups; do
                g=$(printf '%s' "$g" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
                [ -z "$g" ] || { group_field "$g" 1; printf '%s\n' "$f"; }
            done | sort -u
        )
        mod=0 append_flag=""
        if [ -z "$groups" ]; then
            [ -n "$current" ] && [ "$append" = 0 ] && mod=1
        elif [ "$current" != "$wanted" ]; then
            if [ "$append" = 1 ]; then
                missing=$(printf '%s\n' "$wanted" | while IFS= read -r g; do
                    printf '%s\n' "$current" | grep -qxF -- "$g" || printf '%s\n' "$g"
                done)
                [ -n "$missing" ] && { mod=1; append_flag=-a; }
            else
                mod=1
            fi
        fi
        if [ "$mod" = 1 ]; then
            set -- -G "$(printf '%s' "$wanted" | paste -sd, -)" "$@"
            [ -n "$append_flag" ] && set -- -a "$@"
        fi
    fi
    field 5
    [ "$has_comment" = 1 ] && [ "$f" != "$comment" ] && set -- -c "$comment" "$@"
    field 6
    if [ -n "$home" ] && [ "$f" != "$home" ]; then
        [ "$move_home" = 1 ] && set -- -m "$@"
        set -- -d "$home" "$@"
    fi
    field 7
    [ -n "$shell" ] && [ "$f" != "$shell" ] && set -- -s "$shell" "$@"
    if [ "$#" -gt 1 ]; then
        changed=1
        [ "$check" = 1 ] || { need usermod; run usermod "$@"; }
    fi
    if [ "$has_password" = 1 ] && [ "$update_password" = always ]; then
        hash=$(name=$name awk -F: '$1 == ENVIRON["name"] { print $2 }' /etc/shadow 2>/dev/null)
        [ "${hash#!}" = "${password#!}" ] || set_password=1
    fi
fi
if [ "$set_password" = 1 ]; then
    changed=1
    if [ "$check" = 0 ]; then
        need chpasswd
        err=$(printf '%s:%s\n' "$name" "$password" | chpasswd -e 2>&1) || die "$err"
    fi
fi
# Unchanged so far, the passwd line read at the start still holds.
[ "$changed" = 0 ] || pw=$(getent passwd -- "$name")
field 6
if [ -n "$pw" ] && [ "$create_home" = 1 ] && [ ! -e "$f" ]; then
    changed=1
    if [ "$check" = 0 ]; then
        h=$f
        if [ -d /etc/skel ]; then cp -a /etc/skel "$h"; else mkdir -p -- "$h"; fi
        field 3; owner=$f; field 4
        chown -R "$owner:$f" "$h"
    fi
fi
say changed "$changed"
field 3; say uid "$f"
field 4; say gid "$f"
field 5; say comment "$f"
field 6; say home "$f"
field 7; say shell "$f"
