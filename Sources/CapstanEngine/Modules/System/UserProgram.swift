/// The sh program behind `user`. Inputs: the module's arguments as shell variables (`has_*` flags
/// tell "not given" from empty), check; the password hash, if any, as the first line of standard
/// input. Reports `changed`, `created`, `short` (check mode stopped early, as Ansible's does) and the
/// account afterwards (`uid`, `gid`, `comment`, `home`, `shell`).
enum UserProgram {
    static let body = #"""
        set -f
        IFS= read -r password || true
        pw=$(getent passwd -- "$name")
        nth() { _f=$1; _n=$2; while [ "$_n" -gt 1 ]; do case $_f in *:*) _f=${_f#*:} ;; *) _f= ;; esac; _n=$((_n - 1)); done; printf '%s' "${_f%%:*}"; }
        field() { nth "$pw" "$1"; }
        group_exists() { getent group -- "$1" >/dev/null 2>&1; }
        group_field() { nth "$(getent group -- "$1")" "$2"; }
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
        if [ "$has_groups" = 1 ] && [ -n "$groups" ]; then
            old_ifs=$IFS; IFS=,
            for g in $groups; do
                g=$(printf '%s' "$g" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
                [ -z "$g" ] || group_exists "$g" || die "Group $g does not exist"
            done
            IFS=$old_ifs
        fi
        [ -z "$group" ] || group_exists "$group" || die "Group $group does not exist"
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
            [ -n "$uid" ] && [ "$(field 3)" != "$uid" ] && {
                set -- -u "$uid" "$@"
                [ "$non_unique" = 1 ] && set -- -o "$@"
            }
            [ -n "$group" ] && [ "$(field 4)" != "$(group_field "$group" 3)" ] && set -- -g "$(group_field "$group" 3)" "$@"
            if [ "$has_groups" = 1 ]; then
                current=$(getent group | name=$name awk -F: '{
                    n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == ENVIRON["name"]) print $1 }' | sort -u)
                wanted=$(
                    IFS=,
                    for g in $groups; do
                        g=$(printf '%s' "$g" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
                        [ -z "$g" ] || group_field "$g" 1
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
            [ "$has_comment" = 1 ] && [ "$(field 5)" != "$comment" ] && set -- -c "$comment" "$@"
            if [ -n "$home" ] && [ "$(field 6)" != "$home" ]; then
                [ "$move_home" = 1 ] && set -- -m "$@"
                set -- -d "$home" "$@"
            fi
            [ -n "$shell" ] && [ "$(field 7)" != "$shell" ] && set -- -s "$shell" "$@"
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
        pw=$(getent passwd -- "$name")
        if [ -n "$pw" ] && [ "$create_home" = 1 ] && [ ! -e "$(field 6)" ]; then
            changed=1
            if [ "$check" = 0 ]; then
                h=$(field 6)
                if [ -d /etc/skel ]; then cp -a /etc/skel "$h"; else mkdir -p -- "$h"; fi
                chown -R "$(field 3):$(field 4)" "$h"
            fi
        fi
        say changed "$changed"
        say uid "$(field 3)"
        say gid "$(field 4)"
        say comment "$(field 5)"
        say home "$(field 6)"
        say shell "$(field 7)"
        """#
}
