# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
start=$(date +%s)
sum() { "${1}sum" <"$2" | cut -d' ' -f1; }
if [ -d "$dest" ]; then
    base=${url%%\?*}; base=${base##*/}
    [ -n "$base" ] || base=index.html
    dest="${dest%/}/$base"
fi
say dest "$dest"
dir=$(dirname -- "$dest")
[ -d "$dir" ] || die "Destination $dir does not exist"
tmp=$(mktemp "$dir/.capstan_get_url_XXXXXX") || die "Destination $dir is not writable"
sumfile=$(mktemp) || die "cannot create a temporary file"
creds=$(mktemp) || die "cannot create a temporary file"
trap 'rm -f "$tmp" "$sumfile" "$creds"' EXIT
[ "$has_creds" = 1 ] && IFS= read -r line && printf '%s\n' "$line" >"$creds"
# Fetches URL into FILE; sets code; fails with a message like Ansible's.
fetch() { # URL FILE
    if command -v curl >/dev/null 2>&1; then
        set -- -sS -L --max-time "$timeout" -o "$2" -w '%{http_code}' -A "$agent" "$1"
        [ -s "$creds" ] && set -- -K "$creds" "$@"
        [ "$insecure" = 1 ] && set -- -k "$@"
        while IFS= read -r h; do [ -n "$h" ] && set -- -H "$h" "$@"; done <<EOF
$headers
EOF
        code=$(curl "$@" 2>"$sumfile.err" </dev/null) || { e=$(cat "$sumfile.err"); rm -f "$sumfile.err"; die "Request failed: $e"; }
        rm -f "$sumfile.err"
    elif command -v wget >/dev/null 2>&1; then
        set -- -q -T "$timeout" -O "$2" -U "$agent" "$1"
        [ "$insecure" = 1 ] && set -- --no-check-certificate "$@"
        while IFS= read -r h; do [ -n "$h" ] && set -- --header="$h" "$@"; done <<EOF
$headers
EOF
        wget "$@" </dev/null || die "Request failed: wget exited with status $?"
        code=200
    else
        die "get_url needs curl or wget on the host"
    fi
    say status_code "$code"
    case "$code" in 2??) ;; *) die "Request failed: HTTP Error $code" ;; esac
}
if [ -n "$algo" ]; then
    case "$expected" in
    *://*)
        fetch "$expected" "$sumfile" </dev/null
        name=${url%%\?*}; name=${name##*/}
        expected=$(awk -v n="$name" 'NF == 1 { one = $1 } NF >= 2 { f = $2; sub(/^\*/, "", f); sub(/^\.\//, "", f); if (f == n) { print $1; found = 1; exit } } END { if (!found && one != "") print one }' "$sumfile")
        [ -n "$expected" ] || die "Unable to find a checksum for file '$name' in '$expected'" ;;
    esac
    expected=$(printf '%s' "$expected" | tr 'A-F' 'a-f')
fi
if [ -f "$dest" ]; then say checksum_dest "$(sum sha1 "$dest")"; fi
if [ -f "$dest" ] && [ "$force" = 0 ] && [ -n "$algo" ] && [ "$(sum "$algo" "$dest")" = "$expected" ]; then
    changed=0
    msg="file already exists"
else
    fetch "$url" "$tmp"
    if [ -n "$algo" ]; then
        got=$(sum "$algo" "$tmp")
        [ "$got" = "$expected" ] || die "The checksum for $dest did not match $expected; it was $got."
    fi
    say checksum_src "$(sum sha1 "$tmp")"
    size=$(wc -c <"$tmp" | tr -d ' ')
    say size "$size"
    msg="OK ($size bytes)"
    if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
        changed=0
    else
        changed=1
        if [ "$check" = 0 ]; then
            if [ -e "$dest" ]; then chmod --reference="$dest" "$tmp"; chown --reference="$dest" "$tmp"; else chmod 0644 "$tmp"; fi
            mv -f -- "$tmp" "$dest" || die "failed to move the download to $dest"
        fi
    fi
fi
if [ -e "$dest" ] && [ "$check" = 0 ]; then
    before=$(stat -c '%a %U %G' -- "$dest")
    [ -z "$mode" ] || chmod "$mode" -- "$dest" || die "chmod failed"
    [ -z "$owner" ] || chown "$owner" -- "$dest" || die "chown failed"
    [ -z "$group" ] || chgrp "$group" -- "$dest" || die "chgrp failed"
    [ "$before" = "$(stat -c '%a %U %G' -- "$dest")" ] || changed=1
    say mode "0$(stat -c %a -- "$dest")"
fi
say changed "$changed"
say msg "$msg"
say elapsed "$(($(date +%s) - start))"
