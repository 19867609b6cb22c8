/// The sh program behind `wait_for`, and the conversions its inputs need. Inputs: host, port, path,
/// regex, state, timeout, ct (connect timeout), delay, pause (Ansible's `sleep`), conn_states (hex
/// TCP states as /proc/net/tcp writes them), excluded (remote addresses in /proc's hex form).
/// Reports `elapsed`, `timeout=1` when time ran out, `line` (the first line `regex` matched), `method`.
enum WaitForProgram {
    /// /proc/net/tcp's hex codes for the state names Ansible accepts.
    static func stateCodes(_ names: [String]) -> String {
        let codes = [
            "ESTABLISHED": "01", "SYN_SENT": "02", "SYN_RECV": "03", "FIN_WAIT1": "04", "FIN_WAIT2": "05",
            "TIME_WAIT": "06", "CLOSE": "07", "CLOSE_WAIT": "08", "LAST_ACK": "09", "LISTEN": "0A", "CLOSING": "0B",
        ]
        return names.compactMap { codes[$0.uppercased()] }.joined(separator: " ")
    }

    /// An IPv4 address as /proc/net/tcp writes it (little-endian hex), or nil for anything else.
    static func procAddress(_ address: String) -> String? {
        let parts = address.split(separator: ".").compactMap { UInt8($0) }
        guard parts.count == 4, address.split(separator: ".").count == 4 else { return nil }
        return parts.reversed().map { String(format: "%02X", $0) }.joined()
    }

    static let body = #"""
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
                    timeout "$1" bash -c 'exec 3<>"/dev/tcp/$1/$2" && cat <&3' _ "$host" "$port" 2>/dev/null >"$tmp"
                    [ -s "$tmp" ] || timeout "$1" bash -c ': <>"/dev/tcp/$1/$2"' _ "$host" "$port" 2>/dev/null
                else
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
        """#
}
