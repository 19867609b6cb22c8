# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
# ansible.builtin.uri on the node, with curl. Inputs: url, method, timeout, follow (1: follow
# redirects), insecure, ca_path, creates, removes, dest, headers (one `Name: value` a line),
# has_creds (1: the first stdin line is curl's `user = "..."`), basic (1: send it unasked),
# has_body (1: the rest of stdin is the body), want (1: report the body), statuses (accepted codes,
# space-separated). Reports status, reason, url, redirects, h_NAME=value per response header, body
# (base64) when asked for, when the status is not accepted or not 2xx, or the body is JSON, and for a dest
# the file's stat fields and changed.
if [ -n "$creates" ] && [ -e "$creates" ]; then say skipped "skipped, since '$creates' exists"; exit 0; fi
if [ -n "$removes" ] && [ ! -e "$removes" ]; then say skipped "skipped, since '$removes' does not exist"; exit 0; fi
command -v curl >/dev/null 2>&1 || die "uri needs curl on the host, and it has none"
work=$(mktemp -d) || die "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT
if [ "$has_creds" = 1 ]; then
    IFS= read -r line
    printf '%s\n' "$line" >"$work/creds"
fi
if [ "$has_body" = 1 ]; then cat >"$work/body"; fi
if [ -n "$dest" ] && [ -d "$dest" ]; then destdir=$dest; else destdir=; fi
set -- -sS -o "$work/out" -D "$work/head" -w '%{http_code} %{num_redirects} %{url_effective}' \
    --max-time "$timeout" -A ansible-httpget
[ "$follow" = 1 ] && set -- "$@" -L
[ "$insecure" = 1 ] && set -- "$@" -k
[ -n "$ca_path" ] && set -- "$@" --cacert "$ca_path"
if [ -s "$work/creds" ]; then
    set -- "$@" -K "$work/creds"
    if [ "$basic" = 1 ]; then set -- "$@" --basic; else set -- "$@" --anyauth; fi
fi
case $method in
GET) ;;
HEAD) set -- "$@" -I ;;
*) set -- "$@" -X "$method" ;;
esac
[ "$has_body" = 1 ] && set -- "$@" --data-binary "@$work/body"
# An existing dest is asked for only if modified since (as Ansible's uri asks).
[ -n "$dest" ] && [ -f "$dest" ] && set -- "$@" -z "$dest"
while IFS= read -r h; do [ -n "$h" ] && set -- "$@" -H "$h"; done <<EOF_HEADERS
$headers
EOF_HEADERS
start=$(date +%s)
written=$(curl "$@" "$url" 2>"$work/err" </dev/null)
rc=$?
if [ "$rc" != 0 ]; then
    say elapsed "$(($(date +%s) - start))"
    say status -1
    # urllib's words for the common failures, curl's for the others.
    case $rc in
    7) why='<urlopen error [Errno 111] Connection refused>' ;;
    6) why='<urlopen error [Errno -2] Name or service not known>' ;;
    *) why=$(tr '\n' ' ' <"$work/err") ;;
    esac
    say reason "Request failed: $why"
    exit 0
fi
# curl writes a HEAD response's headers where the body would go.
[ "$method" = HEAD ] && : >"$work/out"
say elapsed "$(($(date +%s) - start))"
status=${written%% *}
rest=${written#* }
say status "$status"
say redirects "${rest%% *}"
say url "${rest#* }"
# The last response's headers: after the last status line, names lower-cased with - as _.
tr -d '\r' <"$work/head" | awk '
    /^HTTP\// { n = 0; delete seen; reason = $0; sub(/^HTTP\/[^ ]* [0-9]* ?/, "", reason); count = 0; next }
    /^[^ \t:]+:/ { i = index($0, ":"); k = tolower(substr($0, 1, i - 1)); gsub(/-/, "_", k)
        v = substr($0, i + 1); sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
        if (k in seen) value[seen[k]] = value[seen[k]] ", " v
        else { count++; seen[k] = count; key[count] = k; value[count] = v } }
    END { printf "reason=%s\n", reason; for (j = 1; j <= count; j++) printf "h_%s=%s\n", key[j], value[j] }'
accepted=0
for s in $statuses; do [ "$s" = "$status" ] && accepted=1; done
ctype=$(tr -d '\r' <"$work/head" | awk 'tolower($0) ~ /^content-type:/ { sub(/^[^:]*:[ \t]*/, ""); t = $0 } END { print tolower(t) }')
case $ctype in
*json* | *javascript*) jsonish=1 ;;
*) jsonish=0 ;;
esac
if [ -n "$dest" ] && [ "$accepted" = 1 ] && [ "$status" != 304 ]; then
    if [ -n "$destdir" ]; then
        name=$(tr -d '\r' <"$work/head" | sed -n 's/^[Cc]ontent-[Dd]isposition:.*filename="\{0,1\}\([^";]*\)"\{0,1\}.*/\1/p' | tail -n 1)
        [ -n "$name" ] || name=index.html
        dest="${destdir%/}/$name"
    fi
    cp "$work/out" "$dest" || die "failed to write $dest"
    say changed 1
fi
if [ -n "$dest" ] && [ -e "$dest" ]; then
    say path "$dest"
    stat -c 'st_uid=%u
st_gid=%g
st_owner=%U
st_group=%G
st_mode=%a
st_size=%s' -- "$dest"
fi
case $status in 2??) ok=1 ;; *) ok=0 ;; esac
if [ "$want" = 1 ] || [ "$accepted" = 0 ] || [ "$jsonish" = 1 ] || [ "$ok" = 0 ]; then
    say body "$(base64 -w0 <"$work/out")"
fi
say bytes "$(wc -c <"$work/out")"
