# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
set -f
export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true LC_ALL=C
# shellcheck disable=SC2015 # die when any step of the chain fails, as meant
out=$(mktemp) && err=$(mktemp) || die "cannot create temporary files"
trap 'policy_off; rm -f "$out" "$err" "${fetched:-}"' EXIT
# policy_rc_d: a /usr/sbin/policy-rc.d exiting with that code while apt-get runs (what was there is
# put back after), as Ansible's PolicyRcD does.
policy_saved=""
policy_on() {
    [ -n "$policy_rc_d" ] && [ "$check" = 0 ] || return 0
    if [ -e /usr/sbin/policy-rc.d ]; then
        policy_saved=$(mktemp -d) || die "cannot create a temporary folder"
        mv /usr/sbin/policy-rc.d "$policy_saved/" || die "Fail to move /usr/sbin/policy-rc.d to $policy_saved"
    fi
    { printf '#!/bin/sh\nexit %d\n' "$policy_rc_d" >/usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d; } ||
        die "Failed to create or chmod /usr/sbin/policy-rc.d"
    policy_active=1
}
policy_off() {
    [ "${policy_active:-0}" = 1 ] || return 0
    policy_active=0
    rm -f /usr/sbin/policy-rc.d
    if [ -n "$policy_saved" ]; then mv "$policy_saved/policy-rc.d" /usr/sbin/policy-rc.d; rmdir "$policy_saved"; fi
}
apt_get() { # ARGS...: apt-get with the policy in place, output in $out and $err, status in $rc
    policy_on
    apt-get "$@" >"$out" 2>"$err"
    rc=$?
    policy_off
}
# clean: `apt-get clean` first; alone, it is the whole task and always a change (not run under --check).
if [ "$clean" = 1 ]; then
    if [ "$check" = 0 ]; then
        apt-get clean >"$out" 2>"$err" || { say rc $?; die "apt-get clean failed"; }
        [ -s "$err" ] && die "apt-get clean failed: $(cat "$err")"
    fi
    if [ -z "$packages" ] && [ "$upgrade" = no ] && [ -z "$deb" ]; then
        say op clean
        say ran 1
        say changed 1
        finish_now=1
    fi
fi
mtime() {
    if [ -e /var/lib/apt/periodic/update-success-stamp ]; then stat -c %Y /var/lib/apt/periodic/update-success-stamp
    elif [ -e /var/lib/apt/lists ]; then stat -c %Y /var/lib/apt/lists
    else echo 0; fi
}
t0=$(mtime)
cache_updated=0
if [ "${finish_now:-0}" = 0 ] && { [ "$update_cache" = 1 ] || [ "$cache_valid_time" -gt 0 ]; }; then
    if [ $((t0 + cache_valid_time)) -lt "$(date +%s)" ]; then
        if [ "$check" = 0 ]; then
            i=0
            delay=1
            until apt-get -q update >"$out" 2>"$err"; do
                i=$((i + 1))
                [ "$i" -ge "$retries" ] && die "Failed to update apt cache after $retries retries: $(cat "$err")"
                # Ansible's backoff: 2^(try-1) seconds, at most update_cache_retry_max_delay.
                [ "$delay" -gt "$retry_max_delay" ] && delay=$retry_max_delay
                sleep "$delay"
                delay=$((delay * 2))
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
[ "$force" = 1 ] && set -- "$@" --force-yes
run_apt() { # OPERATION ARGS... (after the common options)
    say ran 1
    say cmd "apt-get -y $*"
    if [ "$check" = 1 ]; then say changed 1; return 0; fi
    apt_get -y "$@"
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
[ "${finish_now:-0}" = 1 ] && finish
: >"$out"; : >"$err"
install_flags() { # the flags Ansible gives installs and upgrades, not removals: printed one a line
    [ "$fail_on_autoremove" = 1 ] && echo --no-remove
    [ "$allow_unauthenticated" = 1 ] && echo --allow-unauthenticated
    [ "$allow_downgrade" = 1 ] && echo --allow-downgrades
    [ "$allow_held" = 1 ] && echo --allow-change-held-packages
    return 0
}
# upgrade: apt-get's dist-upgrade (dist, and full without aptitude) or upgrade --with-new-pkgs; a
# change unless apt-get says nothing was upgraded, installed or removed.
if [ "$upgrade" != no ]; then
    say op upgrade
    say ran 1
    case "$upgrade" in dist | full) operation=dist-upgrade ;; *) operation="upgrade --with-new-pkgs" ;; esac
    say cmd "apt-get $operation"
    [ "$autoremove" = 1 ] && set -- "$@" --auto-remove
    simulate=""; [ "$check" = 1 ] && simulate=--simulate
    # shellcheck disable=SC2046,SC2086 # flags and operation split into words, as meant; no globbing (set -f)
    apt_get -y "$@" $(install_flags) $simulate $operation
    say rc "$rc"
    grep -q '^0 upgraded, 0 newly installed, 0 to remove' "$out" || say changed 1
    finish
fi
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
    # shellcheck disable=SC2046 # the flags split into words, as meant; no globbing (set -f)
    run_apt "$@" $(install_flags) install "$deb"
    finish
fi
if [ -z "$packages" ]; then
    if [ "$autoclean" = 1 ] || [ "$autoremove" = 1 ]; then
        operation=autoremove; [ "$autoclean" = 1 ] && operation=autoclean
        say op "$operation"
        say ran 1
        say cmd "apt-get -y $operation"
        [ "$purge" = 1 ] && set -- "$@" --purge
        simulate=""; [ "$check" = 1 ] && simulate=--simulate
        apt_get -y "$@" "$operation" $simulate
        say rc "$rc"
        case "$operation" in
        autoclean) grep -q '^Del ' "$out" && say changed 1 ;;
        *) grep -q 'The following packages will be REMOVED' "$out" && say changed 1 ;;
        esac
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
    [ "$only_upgrade" = 1 ] && set -- "$@" --only-upgrade
    [ "$state" = fixed ] && set -- "$@" --fix-broken
    [ "$autoremove" = 1 ] && set -- "$@" --auto-remove
    # shellcheck disable=SC2046,SC2086 # globbing is off (set -f): flags and packages split into words, as meant
    [ -n "$list" ] && run_apt "$@" $(install_flags) install $list
    # As Ansible, every requested package apt had marked as installed automatically becomes manual
    # (read from apt's extended_states, so a converged node pays no apt-mark run).
    if [ "$check" = 0 ] && [ "${rc:-0}" = 0 ] && [ -r /var/lib/apt/extended_states ]; then
        auto=$(awk '/^Package:/ { p = $2 } /^Auto-Installed: 1/ { print p }' /var/lib/apt/extended_states)
        marks=""
        for spec in $packages; do
            name=${spec%%=*}
            for a in $auto; do [ "$a" = "$name" ] && marks="$marks $name"; done
        done
        # shellcheck disable=SC2086 # globbing is off (set -f): the names split into words, as meant
        [ -n "$marks" ] && { apt-mark manual $marks >/dev/null 2>>"$err" || die "'apt-mark manual$marks' failed: $(cat "$err")"; }
    fi
fi
finish
