# shellcheck shell=sh
# shellcheck disable=SC2154 # the inputs are assigned before this body (RemoteProgram.run)
sc() {
    [ -n "$force" ] && set -- "$force" "$@"
    [ -n "$noblock" ] && set -- "$noblock" "$@"
    [ -n "$scope" ] && set -- "$scope" "$@"
    systemctl "$@"
}
if ! command -v systemctl >/dev/null 2>&1 || [ ! -d /run/systemd/system ]; then say nosystemd 1; exit 0; fi
if [ "$reexec" = 1 ] && [ "$check" = 0 ]; then
    err=$(sc daemon-reexec 2>&1) || die "failure $? during daemon-reexec: $err"
fi
if [ "$reload" = 1 ] && [ "$check" = 0 ]; then
    err=$(sc daemon-reload 2>&1) || die "failure $? during daemon-reload: $err"
fi
[ -n "$unit" ] || exit 0
props=Id,Names,Description,LoadState,ActiveState,SubState,UnitFileState,UnitFilePreset,MainPID,FragmentPath,Type
# One `systemctl show` (a process, a D-Bus call); its lines are reported and picked apart by builtins.
# Called directly, not through `sc`: the command substitution then execs it without a second fork.
# shellcheck disable=SC2086 # an empty $scope is no argument at all
shown=$(systemctl $scope show -p "$props" -- "$unit" 2>/dev/null)
id='' load='' active='' filestate=''
while IFS= read -r line; do
    [ -n "$line" ] || continue
    printf 'status.%s\n' "$line"
    case $line in
    Id=*) id=${line#*=} ;;
    LoadState=*) load=${line#*=} ;;
    ActiveState=*) active=${line#*=} ;;
    UnitFileState=*) filestate=${line#*=} ;;
    esac
done <<EOF
$shown
EOF
found=1
case "$load" in ''|not-found) found=0 ;; esac
act() {
    say action "$1"
    [ "$check" = 1 ] && return 0
    err=$(sc "$1" -- "$unit" 2>&1) || die "Unable to $1 service $unit: $err"
}
if [ -n "$masked" ]; then
    now=0
    [ "$load" = masked ] && now=1
    if [ "$now" != "$masked" ]; then
        if [ "$masked" = 1 ]; then act mask; else act unmask; fi
    fi
fi
if [ -n "$enabled" ]; then
    [ "$found" = 1 ] || die "Could not find the requested service $unit: host"
    now=0
    # UnitFileState is what is-enabled prints for a unit asked for by its own name, except for
    # aliases and SysV scripts (`generated`), which is-enabled resolves: those still ask it.
    case "$id:$filestate" in
    "$unit":enabled|"$unit":static) now=1 ;;
    "$unit":disabled|"$unit":masked) ;;
    *)
        if out=$(sc is-enabled -- "$unit" 2>/dev/null); then
            case "$out" in enabled-runtime|indirect|alias) ;; *) now=1 ;; esac
        fi
        ;;
    esac
    if [ "$now" != "$enabled" ]; then
        if [ "$enabled" = 1 ]; then act enable; else act disable; fi
    fi
fi
if [ -n "$state" ]; then
    [ "$found" = 1 ] || die "Could not find the requested service $unit: host"
    running=0
    case "$active" in active|activating) running=1 ;; esac
    case "$state" in
    started) [ "$running" = 1 ] || act start ;;
    stopped) if [ "$running" = 1 ] || [ "$active" = deactivating ]; then act stop; fi ;;
    restarted) if [ "$running" = 1 ]; then act restart; else act start; fi ;;
    reloaded) if [ "$running" = 1 ]; then act reload; else act start; fi ;;
    esac
fi
