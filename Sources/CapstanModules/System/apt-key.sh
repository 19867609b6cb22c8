# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
work=$(mktemp -d) || die "cannot create a temporary directory"
# gpg may start a gpg-agent for this GNUPGHOME; it must not outlive the program.
trap 'command -v gpgconf >/dev/null 2>&1 && gpgconf --kill all 2>/dev/null; rm -rf "$work"' EXIT
GNUPGHOME=$work/gnupg; export GNUPGHOME
mkdir -m 0700 "$GNUPGHOME"
has_gpg=0; command -v gpg >/dev/null 2>&1 && has_gpg=1
if [ -z "$keyring" ] && ! command -v apt-key >/dev/null 2>&1; then
    die "apt-key is not available on this node (it was removed after Debian 12); give keyring: to write the key into a keyring file instead"
fi
key=$work/key
if [ "$state" = present ]; then
    if [ "$has_data" = 1 ]; then
        cat >"$key"
    elif [ -n "$file" ]; then
        cp -- "$file" "$key" 2>/dev/null || die "Unable to read the key file $file"
    elif [ -n "$url" ]; then
        k=; [ "$insecure" = 1 ] && k=-k
        if command -v curl >/dev/null 2>&1; then
            curl -fsSL $k --max-time 60 -o "$key" -- "$url" 2>/dev/null
        else
            wget -q -T 60 -O "$key" -- "$url" 2>/dev/null
        fi || die "Error getting key id from url: $url"
    fi
fi
fingerprints() { # KEYFILE: fpr lines of the keys (and subkeys) in a key or keyring file
    gpg --batch --with-colons --show-keys -- "$1" 2>/dev/null | awk -F: '$1 == "fpr" { print $10 }'
}
if [ -z "$id" ]; then
    [ -s "$key" ] || die "No key to add"
    [ "$has_gpg" = 1 ] || die "gpg is needed on the node to read the key's id; give id:"
    id=$(fingerprints "$key" | head -n 1)
    [ -n "$id" ] || die "Unable to continue as we could not extract a valid fingerprint to compare against existing keys."
fi
say id "$id"
armored=0; [ -f "$key" ] && grep -q -- '-----BEGIN PGP' "$key" && armored=1
# Without gpg an armoured key is kept as is, under the .asc name apt expects for it.
if [ -n "$keyring" ] && [ "$has_gpg" = 0 ]; then
    if [ "$armored" = 1 ] || { [ "$state" = absent ] && [ ! -e "$keyring" ]; }; then keyring=${keyring%.gpg}.asc; fi
fi
[ -n "$keyring" ] && say keyring "$keyring"
if [ -n "$keyring" ]; then
    if [ -f "$keyring" ] && [ "$has_gpg" = 1 ]; then fingerprints "$keyring" >"$work/have"; else : >"$work/have"; fi
else
    apt-key adv --with-colons --list-public-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10 }' >"$work/have"
fi
while read -r f; do say before "$f"; done <"$work/have"
present=0
while read -r f; do
    case "$f" in *"$id") present=1 ;; esac
done <"$work/have"
# Without gpg a keyring's keys cannot be read: present means the same bytes, and for absent
# the keyring file stands for the key.
if [ -n "$keyring" ] && [ "$has_gpg" = 0 ] && [ -f "$keyring" ]; then
    if [ "$state" = absent ] || cmp -s "$key" "$keyring"; then present=1; fi
fi
changed=0
if [ "$state" = present ] && [ "$present" = 0 ]; then
    changed=1
    if [ "$check" = 0 ]; then
        if [ -z "$keyring" ]; then
            apt-key add - <"$key" >/dev/null 2>"$work/err" || die "Unable to add a key from binary data: $(cat "$work/err")"
        else
            mkdir -p -- "$(dirname -- "$keyring")" || die "Failed to create $(dirname -- "$keyring")"
            if [ "$has_gpg" = 1 ]; then
                if [ "$armored" = 1 ]; then gpg --batch --dearmor <"$key" >"$work/bin"; else cp -- "$key" "$work/bin"; fi ||
                    die "gpg --dearmor failed"
                cat -- "$keyring" "$work/bin" >"$work/new" 2>/dev/null || cat -- "$work/bin" >"$work/new"
            else
                cp -- "$key" "$work/new"
            fi
            # shellcheck disable=SC2015 # die when any step of the chain fails, as meant
            chmod 0644 "$work/new" && mv -f -- "$work/new" "$keyring" || die "Failed to write $keyring"
        fi
    fi
elif [ "$state" = absent ] && [ "$present" = 1 ]; then
    changed=1
    if [ "$check" = 0 ]; then
        if [ -z "$keyring" ]; then
            apt-key del "$id" >/dev/null 2>&1 || die "error removing key_id"
        elif [ "$has_gpg" = 0 ]; then
            rm -f -- "$keyring" || die "error removing key_id"
        else
            fpr=$(grep -- "$id\$" "$work/have" | head -n 1)
            # shellcheck disable=SC2015 # die when any step of the chain fails, as meant
            cp -- "$keyring" "$work/ring.gpg" &&
                gpg --batch --yes --no-default-keyring --keyring "$work/ring.gpg" --delete-keys "$fpr" 2>/dev/null &&
                gpg --batch --no-default-keyring --keyring "$work/ring.gpg" --export >"$work/new" ||
                die "error removing key_id"
            if [ -s "$work/new" ]; then
                # shellcheck disable=SC2015 # die when any step of the chain fails, as meant
                chmod 0644 "$work/new" && mv -f -- "$work/new" "$keyring" || die "error removing key_id"
            else
                rm -f -- "$keyring" || die "error removing key_id"
            fi
        fi
    fi
fi
say changed "$changed"
