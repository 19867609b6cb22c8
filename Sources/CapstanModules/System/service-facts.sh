# shellcheck shell=sh
# service_facts' one round trip: what Ansible's module runs, each line of output tagged with where it
# came from (`S` service --status-all, `U` systemctl list-units, `F` list-unit-files, `A` a unit's
# ActiveState), and each tool's exit status as `R TOOL STATUS`. Swift parses it (ServiceFactsParser).
tag() { awk -v t="$1" '{ print t " " $0 }'; }
have() { command -v "$1" >/dev/null 2>&1; }
# Ansible's sysvinit scan: `service` present, neither chkconfig nor rc-status.
if have service && ! have chkconfig && ! have rc-status; then
    out=$(service --status-all 2>/dev/null); rc=$?
    [ -d /etc/init.d ] && echo "R initd 1"
    echo "R service $rc"
    printf '%s\n' "$out" | tag S
fi
# is_systemd_managed: systemctl installed and one of sd_booted's canaries present.
have systemctl || exit 0
[ -e /run/systemd/system/ ] || [ -e /dev/.run/systemd/ ] || [ -e /dev/.systemd/ ] || exit 0
units=$(systemctl list-units --no-pager --type service --all --plain 2>/dev/null); urc=$?
echo "R units $urc"
printf '%s\n' "$units" | tag U
files=$(systemctl list-unit-files --no-pager --type service --all 2>/dev/null); frc=$?
echo "R files $frc"
printf '%s\n' "$files" | tag F
[ "$frc" = 0 ] || exit 0
# The unit files list-units did not show get their ActiveState from `systemctl show`: all at once,
# one by one only if that fails (a template name fails the whole call, so templates are left out:
# `show` refuses them, which Ansible reports as `unknown`).
loaded=
[ "$urc" = 0 ] && loaded=$units
missing=$(printf '%s\n' "$files" | awk -v loaded="$loaded" '
    BEGIN { n = split(loaded, l, "\n"); for (i = 1; i <= n; i++) if (index(l[i], ".service")) { split(l[i], f, " "); seen[f[1]] = 1 } }
    index($0, ".service") && !($1 in seen) && $1 !~ /@\./ { seen[$1] = 1; print $1 }')
[ -n "$missing" ] || exit 0
set -f
# shellcheck disable=SC2086 # one word per unit name (names have no blanks)
if shown=$(systemctl show --property=ActiveState $missing 2>/dev/null); then
    printf '%s\n' "$missing" | awk -v shown="$shown" '
        BEGIN { n = split(shown, s, "\n"); k = 0; for (i = 1; i <= n; i++) if (s[i] ~ /^ActiveState=/) st[++k] = substr(s[i], 13) }
        { print "A " $0 " " st[NR] }'
else
    for u in $missing; do
        s=$(systemctl show "$u" --property=ActiveState 2>/dev/null) && [ -n "$s" ] && echo "A $u ${s#ActiveState=}"
    done
fi
