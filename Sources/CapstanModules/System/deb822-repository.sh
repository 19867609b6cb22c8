# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
changed=0
if [ "$state" = absent ]; then
    for f in "$file" "$key.asc" "$key.gpg"; do
        if [ -e "$f" ]; then changed=1; [ "$check" = 1 ] || rm -f -- "$f" || die "Failed to remove $f"; fi
    done
    say changed "$changed"
    exit 0
fi
text=$text_none
variant=none
if [ -n "$signed" ]; then
    variant=path
    text=$text_path
fi
if [ "$url" = 1 ] && [ ! -f "$signed" ]; then
    work=$(mktemp -d) || die "cannot create a temporary directory"
    trap 'rm -rf "$work"' EXIT
    if command -v curl >/dev/null 2>&1; then
        curl -fsSL --max-time 60 -o "$work/key" -- "$signed" 2>"$work/err"
    elif command -v wget >/dev/null 2>&1; then
        wget -q -T 60 -O "$work/key" -- "$signed" 2>"$work/err"
    else
        false
    fi || die "Could not fetch signed_by key: $(cat "$work/err" 2>/dev/null)"
    if [ -s "$work/key" ]; then
        if grep -q -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' "$work/key"; then ext=asc; else ext=gpg; fi
        variant=$ext
        eval "text=\$text_$ext"
        keyfile="$key.$ext"
        say key_filename "$keyfile"
        if ! cmp -s "$work/key" "$keyfile"; then
            changed=1
            if [ "$check" = 0 ]; then
                # shellcheck disable=SC2174 # only the key's own folder gets 0755, as Python's os.makedirs gives it
                mkdir -p -m 0755 -- "$(dirname -- "$keyfile")" || die "Failed to create $(dirname -- "$keyfile")"
                # shellcheck disable=SC2015 # die when any step of the chain fails, as meant
                cp -- "$work/key" "$keyfile.tmp" && chmod 0644 "$keyfile.tmp" && mv -f -- "$keyfile.tmp" "$keyfile" ||
                    die "Failed to write $keyfile"
            fi
        fi
        if [ -e "$keyfile" ] && [ "$(stat -c %a -- "$keyfile")" != 644 ]; then
            changed=1
            [ "$check" = 1 ] || chmod 0644 -- "$keyfile"
        fi
    fi
fi
say variant "$variant"
if [ "$(cat -- "$file" 2>/dev/null; echo .)" != "$text." ]; then
    changed=1
    [ -f "$file" ] && say before "$(base64 -w0 <"$file")"
    if [ "$check" = 0 ]; then
        mkdir -p -- "$(dirname -- "$file")" || die "Failed to create $(dirname -- "$file")"
        # shellcheck disable=SC2015 # die when any step of the chain fails, as meant
        printf '%s' "$text" >"$file.capstan-tmp" && mv -f -- "$file.capstan-tmp" "$file" || die "Failed to write $file"
    fi
fi
if [ -e "$file" ] && [ "$(stat -c %a -- "$file")" != "${mode#0}" ]; then
    changed=1
    [ "$check" = 1 ] || chmod -- "$mode" "$file" || die "Failed to set mode $mode on $file"
fi
say changed "$changed"
