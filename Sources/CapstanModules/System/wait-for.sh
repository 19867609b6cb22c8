# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
now() { date +%s; }
start=$(now)
[ "$delay" -gt 0 ] && sleep "$delay"
end=$((start + timeout))
method=none
if [ -n "$port" ]; then
    if command -v bash >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then method=bash
    elif command -v nc >/dev/null 2>&1; then method=nc
    else
        case "$host" in 127.*|localhost|0.0.0.0|::1|::) method=proc ;;
        *) die "wait_for needs bash and timeout, or nc, on the host to reach $host:$port" ;;
        esac
    fi
fi
say method "$method"
listening() {
    hexport=$(printf '%04X' "$port")
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
        awk -v p="$hexport" 'NR > 0 && $4 == "0A" { split($2, a, ":"); if (a[2] == p) f = 1 } END { exit !f }'
}
# One connection attempt, at most CT seconds; with a regex, also reads what the server sends.
probe() { # CT
    case "$method" in
    bash)
        if [ -n "$regex" ]; then
            # shellcheck disable=SC2016 # bash expands $1 and $2 (host and port passed as arguments)
            timeout "$1" bash -c 'exec 3<>"/dev/tcp/$1/$2" && cat <&3' _ "$host" "$port" 2>/dev/null >"$tmp"
            # shellcheck disable=SC2016 # bash expands $1 and $2 (host and port passed as arguments)
            [ -s "$tmp" ] || timeout "$1" bash -c ': <>"/dev/tcp/$1/$2"' _ "$host" "$port" 2>/dev/null
        else
            # shellcheck disable=SC2016 # bash expands $1 and $2 (host and port passed as arguments)
            timeout "$1" bash -c ': <>"/dev/tcp/$1/$2"' _ "$host" "$port" 2>/dev/null
        fi ;;
    nc)
        if [ -n "$regex" ]; then nc -w "$1" "$host" "$port" </dev/null >"$tmp" 2>/dev/null
        else nc -z -w "$1" "$host" "$port" >/dev/null 2>&1; fi ;;
    proc) listening ;;
    esac
}
# Connections on the port whose local address is the host's (0.0.0.0: any), in one of the
# states asked for, from a remote address not excluded: Ansible's count for `drained`.
drained() {
    ip=$(getent ahostsv4 "$host" 2>/dev/null | awk 'NR == 1 { print $1 }')
    local_hex=$(printf '%s' "${ip:-$host}" | awk -F. 'NF == 4 { printf "%02X%02X%02X%02X", $4, $3, $2, $1 }')
    cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v p="$(printf '%04X' "$port")" -v s=" $conn_states " \
        -v x=" $excluded " -v me="$local_hex" 'NR > 0 { split($2, l, ":"); split($3, r, ":")
            a = l[1]; if (length(a) == 32 && substr(a, 1, 24) == "0000000000000000FFFF0000") a = substr(a, 25)
            if (me != "00000000" && a != me) next
            if (l[2] == p && index(s, " " $4 " ") && !index(x, " " r[1] " ")) busy = 1 } END { exit busy }'
}
tmp=$(mktemp) || die "cannot create a temporary file"
trap 'rm -f "$tmp"' EXIT
met=0
if [ -z "$port" ] && [ -z "$path" ] && [ "$state" != drained ]; then
    sleep "$timeout"; met=1
else
    while [ "$(now)" -lt "$end" ]; do
        case "$state" in
        absent|stopped)
            if [ -n "$path" ]; then [ -e "$path" ] || { met=1; break; }
            else probe "$ct" || { met=1; break; }; fi ;;
        started|present)
            if [ -n "$path" ]; then
                if [ -e "$path" ]; then
                    [ -z "$regex" ] && { met=1; break; }
                    line=$(grep -E -m 1 -e "$regex" -- "$path" 2>/dev/null) && { say line "$line"; met=1; break; }
                fi
            else
                left=$((end - $(now)))
                [ "$left" -lt "$ct" ] && [ "$left" -gt 0 ] && c=$left || c=$ct
                if probe "$c"; then
                    [ -z "$regex" ] && { met=1; break; }
                    line=$(grep -E -m 1 -e "$regex" "$tmp") && { say line "$line"; met=1; break; }
                fi
            fi ;;
        drained)
            drained && { met=1; break; } ;;
        esac
        sleep "$pause"
    done
fi
say elapsed "$(($(now) - start))"
[ "$met" = 1 ] || say timeout 1
