# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
set -f
tmp=$(mktemp -d) || die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
new=$tmp/new old=$tmp/old
if [ -e "$fstab" ]; then cat -- "$fstab" >"$old" || die "Failed to open $fstab"; else : >"$old"; fi
set_mount() {
    ename=$ename esrc=$esrc src=$src efstype=$efstype eopts=$eopts dump=$dump passno=$passno new=$new \
        awk -v hassrc="$hassrc" '
    BEGIN {
        name = ENVIRON["ename"]; src = ENVIRON["esrc"]; rsrc = ENVIRON["src"]; fstype = ENVIRON["efstype"]
        opts = ENVIRON["eopts"]; dump = ENVIRON["dump"]; passno = ENVIRON["passno"]; out = ENVIRON["new"]
    }
    function entry() { return ld[1] " " ld[2] " " ld[3] " " ld[4] " " ld[5] " " ld[6] }
    {
        line = $0; t = line; gsub(/^[ \t\r\f\v]+|[ \t\r\f\v]+$/, "", t)
        if (t == "" || substr(t, 1, 1) == "#") { print line > out; next }
        body = line; i = index(body, "#"); if (i) body = substr(body, 1, i - 1)
        n = split(body, f, " ")
        if (n < 4 || n > 6) { print line > out; next }
        # Ansible fills a missing dump/passno with the number 0, which never equals the
        # string it compares with, so such a line is always rewritten.
        ld[1] = f[1]; ld[2] = f[2]; ld[3] = f[3]; ld[4] = f[4]
        ld[5] = n >= 5 ? f[5] : "\001"; ld[6] = n >= 6 ? f[6] : "\001"
        if (ld[2] != name || (hassrc == 1 && ld[2] == "none" && ld[3] == "swap" && ld[1] != rsrc)) {
            print line > out; next
        }
        exists = 1
        want[1] = src; want[3] = fstype; want[4] = opts; want[5] = dump; want[6] = passno
        for (k = 1; k <= 6; k++) if (k != 2 && ld[k] != want[k]) { ld[k] = want[k]; changed = 1 }
        if (changed) print entry() > out; else print line > out
    }
    END {
        if (!exists) { print src " " name " " fstype " " opts " " dump " " passno > out; changed = 1 }
        close(out); printf "%d", changed
    }' "$old"
}
unset_mount() {
    ename=$ename src=$src new=$new awk -v hassrc="$hassrc" '
    BEGIN { name = ENVIRON["ename"]; rsrc = ENVIRON["src"]; out = ENVIRON["new"] }
    {
        t = $0; gsub(/^[ \t\r\f\v]+|[ \t\r\f\v]+$/, "", t)
        if (t == "" || substr(t, 1, 1) == "#" || split($0, f, " ") != 6) { print > out; next }
        if (f[2] != name || (hassrc == 1 && f[2] == "none" && f[3] == "swap" && f[1] != rsrc)) { print > out; next }
        changed = 1
    }
    END { close(out); printf "%d", changed }' "$old"
}
commit() {
    if [ "$backup" = 1 ] && [ -e "$fstab" ]; then
        b="$fstab.$$.$(date +%Y-%m-%d@%H:%M:%S)~"
        cp -p -- "$fstab" "$b" || die "Could not make a backup of $fstab"
        say backup_file "$b"
    fi
    # shellcheck disable=SC2015 # die when any step of the chain fails, as meant
    mkdir -p -- "$(dirname -- "$fstab")" && cat "$new" >"$fstab" || die "Failed to write $fstab"
}

