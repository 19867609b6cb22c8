# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
set -f
export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true LC_ALL=C
# shellcheck disable=SC2015 # die when any step of the chain fails, as meant
out=$(mktemp) && err=$(mktemp) || die "cannot create temporary files"
trap 'rm -f "$out" "$err" "${fetched:-}"' EXIT
mtime() {
    if [ -e /var/lib/apt/periodic/update-success-stamp ]; then stat -c %Y /var/lib/apt/periodic/update-success-stamp
    elif [ -e /var/lib/apt/lists ]; then stat -c %Y /var/lib/apt/lists
    else echo 0; fi
}
t0=$(mtime)
cache_updated=0
if [ "$update_cache" = 1 ] || [ "$cache_valid_time" -gt 0 ]; then
    if [ $((t0 + cache_valid_time)) -lt "$(date +%s)" ]; then
        if [ "$check" = 0 ]; then
            i=0
            until apt-get -q update >"$out" 2>"$err"; do
                i=$((i + 1))
                [ "$i" -ge "$retries" ] && die "Failed to update apt cache after $retries retries: $(cat "$err")"
                sleep "$i"
            done
        fi
        t1=$(mtime)
        { [ "$check" = 1 ] || [ "$t1" != "$t0" ]; } && cache_updated=1
        t0=$t1
    fi
fi
say cache_updated "$cache_updated"
say cache_update_time "$t0"
# apt-get's common options, as Ansible builds them.
set --
old_ifs=$IFS; IFS=,
for o in $dpkg_options; do set -- "$@" -o "Dpkg::Options::=--$o"; done
IFS=$old_ifs
set -- "$@" -o "DPkg::Lock::Timeout=$lock_timeout"
[ -n "$recommends" ] && set -- "$@" -o "APT::Install-Recommends=$recommends"
[ -n "$default_release" ] && set -- "$@" -t "$default_release"
run_apt() { # OPERATION ARGS... (after the common options)
    say ran 1
    say cmd "apt-get -y $*"
    if [ "$check" = 1 ]; then say changed 1; return 0; fi
    apt-get -y "$@" >"$out" 2>"$err"
    rc=$?
    say rc "$rc"
    say changed 1
}
finish() {
    printf '\n%s\n' "__CAPSTAN_APT_STDOUT__"
    cat "$out"
    printf '%s\n' "__CAPSTAN_APT_STDERR__"
    cat "$err"
    exit 0
}
: >"$out"; : >"$err"
if [ -n "$deb" ]; then
    say op deb
    case "$deb" in
    *://*)
        fetched=$(mktemp --suffix=.deb) || die "cannot create a temporary file"
        if command -v curl >/dev/null 2>&1; then curl -fsSL -o "$fetched" -- "$deb" 2>"$err"
        elif command -v wget >/dev/null 2>&1; then wget -q -O "$fetched" -- "$deb" 2>"$err"
        else die "neither curl nor wget is available to fetch $deb"; fi || die "Failure downloading $deb: $(cat "$err")"
        deb=$fetched ;;
    esac
    [ -f "$deb" ] || die "Unable to install package: $deb does not exist"
    # shellcheck disable=SC2015 # die when any step of the chain fails, as meant
    pkg=$(dpkg-deb -f "$deb" Package) && ver=$(dpkg-deb -f "$deb" Version) || die "$deb is not a Debian package"
    inst=$(dpkg-query -W -f='${db:Status-Abbrev}|${Version}' -- "$pkg" 2>/dev/null)
    case "$inst" in "ii |$ver") finish ;; esac
    case "$deb" in /*) ;; *) deb=./$deb ;; esac
    flags=""; [ "$allow_downgrade" = 1 ] && flags=--allow-downgrades
    run_apt "$@" $flags install "$deb"
    finish
fi
if [ -z "$packages" ]; then
    if [ "$autoremove" = 1 ]; then
        say op autoremove
        say ran 1
        say cmd "apt-get -y autoremove"
        if [ "$check" = 1 ]; then
            apt-get -s -y "$@" autoremove 2>/dev/null | grep -q '^Remv ' && say changed 1
        else
            apt-get -y "$@" autoremove >"$out" 2>"$err"; say rc $?
            grep -q 'REMOVED' "$out" && say changed 1
        fi
        finish
    fi
    say op cacheonly
    exit 0
fi
# shellcheck disable=SC2254 # the pin is a glob (Ansible's fnmatch), matched as one
matches() { case "$1" in $2) return 0 ;; esac; return 1; }
list=""
while IFS= read -r spec; do
    [ -n "$spec" ] || continue
    name=${spec%%=*}
    pin=""
    case "$spec" in *=*) pin=${spec#*=} ;; esac
    st=$(dpkg-query -W -f='${db:Status-Abbrev}|${Version}' -- "$name" 2>/dev/null)
    inst=""
    case "$st" in ii* | hi*) inst=${st#*|} ;; esac
    if [ "$state" = absent ]; then
        if [ -n "$inst" ]; then list="$list $spec"
        elif [ "$purge" = 1 ]; then case "$st" in rc*) list="$list $spec" ;; esac; fi
        continue
    fi
    avail=$(apt-cache madison -- "$name" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
    [ -n "$avail$inst" ] || die "No package matching '$name' is available"
    if [ -n "$pin" ]; then
        [ -n "$inst" ] && matches "$inst" "$pin" && continue
        [ -z "$inst" ] && [ "$only_upgrade" = 1 ] && continue
        found=""
        for v in $avail; do matches "$v" "$pin" && { found=$v; break; }; done
        [ -n "$found" ] || die "no available installation candidate for $spec"
        list="$list $name=$found"
    elif [ -z "$inst" ]; then
        [ "$only_upgrade" = 1 ] || list="$list $name"
    elif [ "$state" = latest ]; then
        cand=$(apt-cache policy -- "$name" 2>/dev/null | awk '/Candidate:/ { print $2 }')
        if [ -n "$cand" ] && [ "$cand" != "(none)" ] && dpkg --compare-versions "$cand" gt "$inst"; then
            list="$list $name"
        fi
    fi
done <<EOF
$packages
EOF
if [ "$state" = absent ]; then
    say op remove
    [ -n "$list" ] || exit 0
    [ "$purge" = 1 ] && set -- "$@" --purge
    [ "$autoremove" = 1 ] && set -- "$@" --auto-remove
    # shellcheck disable=SC2086 # globbing is off (set -f): the package list splits into words, as meant
    run_apt -q "$@" remove $list
else
    say op install
    [ -n "$list" ] || exit 0
    [ "$only_upgrade" = 1 ] && set -- "$@" --only-upgrade
    [ "$state" = fixed ] && set -- "$@" --fix-broken
    [ "$autoremove" = 1 ] && set -- "$@" --auto-remove
    [ "$allow_downgrade" = 1 ] && set -- "$@" --allow-downgrades
    # shellcheck disable=SC2086 # globbing is off (set -f): the package list splits into words, as meant
    run_apt "$@" install $list
fi
finish
