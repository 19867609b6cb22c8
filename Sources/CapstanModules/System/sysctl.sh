# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
# The temporary file is made only when something is written or run (a rerun makes none).
tmp=
mktmp() {
    [ -n "$tmp" ] && return 0
    tmp=$(mktemp) || die "cannot create a temporary file"
    trap 'rm -f "$tmp" "$tmp.err"' EXIT
}
src=/dev/null
[ -f "$file" ] && src=$file
# The running value: the shell reads the key's /proc/sys file itself (a process less); `sysctl`
# answers when there is no such file or it reads as nothing (write-only, unreadable).
proc='' l='' proc_ok=0
if [ -n "$procfile" ] && [ -f "$procfile" ]; then
    { while IFS= read -r l; do proc="$proc$l
"; done; proc="$proc$l"; } 2>/dev/null <"$procfile" && [ -n "$proc" ] && proc_ok=1
fi
if [ "$proc_ok" = 0 ]; then proc_ok=1; proc=$(sysctl -e -n "$name" 2>/dev/null) || proc_ok=0; fi
# Prints 1 and the file's value, or 0; with $tmp set, writes the new file there. (Text in a
# variable, not a function: `$(function)` costs a process more than `$(awk ...)`.)
# shellcheck disable=SC2016 # the awk program, expanded by awk
scan='
    BEGIN { k = ENVIRON["name"]; v = ENVIRON["value"]; out = ENVIRON["tmp"] }
    function trim(s) { sub(/^[ \t\r\n\f\v]+/, "", s); sub(/[ \t\r\n\f\v]+$/, "", s); return s }
    function emit(s) { if (out != "") print s > out }
    {
        line = trim($0); c = substr(line, 1, 1); i = index(line, "=")
        if (line == "" || c == "#" || c == ";" || i == 0) { emit(line); next }
        key = trim(substr(line, 1, i - 1)); val = trim(substr(line, i + 1))
        if (key == k) { found = 1; fv = val }
        if (key in seen) next
        seen[key] = 1
        if (key != k) emit(key "=" val)
        else if (st == "present") emit(k "=" v)
    }
    END {
        if (st == "present" && !(k in seen)) emit(k "=" v)
        if (out != "") close(out)
        if (found) printf "1%s", fv; else printf "0"
    }'
# The key's value in the file: a short file is read by the shell (awk's trim and split, the last
# line for the key wins); past `budget` bytes awk is cheaper than the shell's byte-wise reads.
# shellcheck disable=SC2295 # $ws is a set of characters inside a bracket expression
trim() { t=${1#"${1%%[!$ws]*}"}; t=${t%"${t##*[!$ws]}"}; }
infile=0 fileval='' n=0 budget=512
if [ "$src" != /dev/null ]; then
    while IFS= read -r line || [ -n "$line" ]; do
        n=$((n + ${#line} + 1)); [ "$n" -gt "$budget" ] && break
        trim "$line"; line=$t
        case $line in '' | '#'* | ';'*) continue ;; *=*) ;; *) continue ;; esac
        trim "${line%%=*}"; [ "$t" = "$name" ] || continue
        trim "${line#*=}"; infile=1; fileval=$t
    done <"$src" || die "Failed to open $file"
fi
if [ "$n" -gt "$budget" ]; then
    found=$(name=$name value=$value tmp='' awk -v st="$state" "$scan" "$src") || die "Failed to open $file"
    infile=${found%"${found#?}"}
    fileval=${found#?}
fi
# Equal once runs of whitespace are one space (`set --` splits without a process or a glob).
# shellcheck disable=SC2086 # the split into words is the point (globbing is off here)
words() { set -f; set -- $1; w="$*"; set +f; }
same() { words "$1"; a=$w; words "$2"; [ "$a" = "$w" ]; }
changed=0 write=0 setproc=0
if [ "$infile" = 0 ] && [ "$state" = present ]; then changed=1 write=1
elif [ "$infile" = 0 ]; then :
elif [ -n "$fileval" ] && [ "$state" = absent ]; then changed=1 write=1
elif [ "$fileval" != "$value" ]; then changed=1 write=1
elif [ "$reload" = 1 ]; then
    if [ "$proc_ok" = 0 ] || ! same "$proc" "$value"; then changed=1; fi
fi
if [ "$set" = 1 ] && [ "$state" = present ]; then
    if [ "$proc_ok" = 0 ]; then changed=1
    elif ! same "$proc" "$value"; then changed=1 setproc=1; fi
fi
say changed "$changed"
[ "$check" = 1 ] && exit 0
[ "$changed" = 1 ] || exit 0
mktmp
if [ "$write" = 1 ]; then
    name=$name value=$value tmp=$tmp awk -v st="$state" "$scan" "$src" >/dev/null || die "Failed to open $file"
fi
failed_stderr() { grep -Eq '^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$'; }
if [ "$setproc" = 1 ]; then
    # shellcheck disable=SC2086 # an empty $ignore is no argument at all
    out=$(sysctl $ignore -w "$name=$value" 2>"$tmp.err"); rc=$?
    if [ "$rc" != 0 ] || failed_stderr <"$tmp.err"; then
        msg="$out$(cat "$tmp.err")"; rm -f "$tmp.err"; die "setting $name failed: $msg"
    fi
fi
if [ "$write" = 1 ]; then
    new=$(mktemp "$(dirname -- "$file")/.capstan_sysctl_XXXXXX") || die "Failed to write to file $file"
    cat "$tmp" >"$new" || { rm -f "$new"; die "Failed to write to file $new"; }
    if [ -e "$file" ]; then
        chmod --reference="$file" "$new" && chown --reference="$file" "$new"
    else
        chmod 0644 "$new"
    fi
    mv -f "$new" "$file" || { rm -f "$new"; die "Failed to write to file $file"; }
fi
if [ "$changed" = 1 ] && [ "$reload" = 1 ]; then
    # shellcheck disable=SC2086 # an empty $ignore is no argument at all
    out=$(sysctl $ignore -p "$file" 2>"$tmp.err"); rc=$?
    if [ "$rc" != 0 ] || failed_stderr <"$tmp.err"; then
        msg="$out$(cat "$tmp.err")"; rm -f "$tmp.err"; die "Failed to reload sysctl: $msg"
    fi
fi
