# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs (name, hwclock, check) are assigned before this body (TimezoneModule)
# community.general.timezone on a node where `timedatectl` works (its SystemdTimezone): reports
# `before_*`, sets what differs unless `check` is 1 (each command as `executed`), then `after_*`.
# Without a usable timedatectl it reports `usable=0` and changes nothing (Ansible then edits files).
tdc=$(command -v timedatectl) || { say usable 0; exit 0; }
"$tdc" >/dev/null 2>&1 || { say usable 0; exit 0; }
say usable 1
if [ -n "$name" ] && [ ! -f "/usr/share/zoneinfo/$name" ]; then
    die "Error message:
given timezone \"$name\" is not available"
fi
# The first `Time zone:` and `RTC in local TZ:` values, as the module's regular expressions read them.
state() {
    st=$("$tdc" status) || die "$st"
    tz=$(printf '%s\n' "$st" | sed -n 's/^[[:space:]]*Time \{0,1\}zone[[:space:]]*:[[:space:]]*\([^[:space:]]*\).*/\1/p' | head -n 1)
    rtc=$(printf '%s\n' "$st" | sed -n 's/^[[:space:]]*RTC in local TZ[[:space:]]*:[[:space:]]*\([^[:space:]]*\).*/\1/p' | head -n 1)
    case $rtc in yes | on | true | 1 | y | t) rtc=local ;; *) rtc=UTC ;; esac
    say "$1_name" "$tz"
    say "$1_hwclock" "$rtc"
}
state before
[ "$check" = 1 ] && exit 0
if [ -n "$hwclock" ] && [ "$hwclock" != "$rtc" ]; then
    flag=no
    [ "$hwclock" = local ] && flag=yes
    out=$("$tdc" set-local-rtc "$flag" 2>&1) || die "$out"
    say executed "$tdc set-local-rtc $flag"
fi
if [ -n "$name" ] && [ "$name" != "$tz" ]; then
    out=$("$tdc" set-timezone "$name" 2>&1) || die "$out"
    say executed "$tdc set-timezone $name"
fi
state after
