# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
set -f
work=$(mktemp -d) || die "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT
files() {
    set +f
    [ -f /etc/apt/sources.list ] && printf '%s\n' /etc/apt/sources.list
    for f in /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && printf '%s\n' "$f"; done
    set -f
}
# Rewrites FILE into $work/new with Ansible's normalised lines; ACTION enable or remove acts on
# the lines whose source is $src. Prints how many lines it acted on.
rewrite() { # FILE ACTION
    src=$src action=$2 new=$work/new awk '
    function trim(s) { sub(/^[ \t\r\n\f\v]+/, "", s); sub(/[ \t\r\n\f\v]+$/, "", s); return s }
    {
        l = trim($0); enabled = 1; comment = ""
        if (substr(l, 1, 1) == "#") { enabled = 0; l = substr(l, 2) }
        i = index(l, "#"); if (i > 1) { comment = trim(substr(l, i + 1)); l = substr(l, 1, i - 1) }
        source = trim(l)
        n = split(source, ch, " ")
        if (n > 0 && (ch[1] == "deb" || ch[1] == "deb-src")) {
            source = ch[1]; for (k = 2; k <= n; k++) source = source " " ch[k]
            if (source == ENVIRON["src"]) {
                if (ENVIRON["action"] == "remove" && enabled) { hits++; next }
                if (ENVIRON["action"] == "enable" && !enabled) { hits++; enabled = 1 }
                if (ENVIRON["action"] == "find") hits++
            }
        }
        printf "%s%s%s\n", (enabled ? "" : "# "), source, (comment != "" ? " # " comment : "") > ENVIRON["new"]
        lines++
    }
    END { close(ENVIRON["new"]); if (!lines) printf "" > ENVIRON["new"]; print hits + 0 }' "$1"
}
changed=0
n=0
: >"$work/list"
# Installs $work/new as FILE (keeping a copy of the old one to put back), or removes an empty FILE.
commit() { # FILE
    n=$((n + 1))
    cp -p -- "$1" "$work/old.$n" && printf '%s %s\n' "$n" "$1" >>"$work/list"
    if [ -s "$work/new" ]; then cat "$work/new" >"$1"; else rm -f -- "$1"; say removed "$1"; fi
}
if [ "$state" = present ]; then
    found=0
    for f in $(files); do
        [ "$(rewrite "$f" find)" -gt 0 ] && found=1
        if [ "$(rewrite "$f" enable)" -gt 0 ]; then
            changed=1
            [ "$check" = 1 ] || commit "$f"
        fi
    done
    if [ "$found" = 0 ]; then
        changed=1
        if [ ! -e "$file" ]; then say added "$file"; fi
        if [ "$check" = 0 ]; then
            mkdir -p -- "$(dirname -- "$file")" || die "Failed to create directory $(dirname -- "$file")"
            if [ -e "$file" ]; then
                n=$((n + 1)); cp -p -- "$file" "$work/old.$n" && printf '%s %s\n' "$n" "$file" >>"$work/list"
                printf '%s\n' "$src" >>"$file"
            else
                printf '%s\n' "$src" >"$file" && chmod "$mode" "$file" && printf 'new %s\n' "$file" >>"$work/list"
            fi || die "Failed to write $file"
        fi
    fi
else
    for f in $(files); do
        if [ "$(rewrite "$f" remove)" -gt 0 ]; then
            changed=1
            if [ "$check" = 1 ]; then [ -s "$work/new" ] || say removed "$f"; else commit "$f"; fi
        fi
    done
fi
say changed "$changed"
if [ "$changed" = 1 ] && [ "$check" = 0 ] && [ "$update" = 1 ]; then
    i=0
    until apt-get -q update >/dev/null 2>"$work/err"; do
        i=$((i + 1))
        if [ "$i" -ge "$retries" ]; then
            while read -r k f; do
                if [ "$k" = new ]; then rm -f -- "$f"; else cat "$work/old.$k" >"$f"; fi
            done <"$work/list"
            die "Failed to update apt cache after $retries retries: $(cat "$work/err")"
        fi
        sleep "$i"
    done
fi
