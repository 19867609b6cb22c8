# Settings, logging and the state file shared by every `lab` command. Sourced, not run.
# Everything here is overridable from the environment so that two labs (say the shared one and the
# smoke test's) can live side by side on one machine with different dirs, bridges and subnets.

LAB_DIR=${CAPSTAN_LAB_DIR:-/var/lib/capstan-lab}
LAB_BRIDGE=${CAPSTAN_LAB_BRIDGE:-capbr0}
# First three octets of the lab's /24: the bridge is .1, node i is .(10+i), so at most 244 nodes.
LAB_SUBNET=${CAPSTAN_LAB_SUBNET:-10.231.0}
LAB_PROXY_PORT=${CAPSTAN_LAB_PROXY_PORT:-3142}
# ro (default) keeps sysctls outside the node's network namespace read-only, as systemd-nspawn does.
LAB_PROC_SYS=${CAPSTAN_LAB_PROC_SYS:-ro}
# Seconds `up` waits for every node's sshd before giving up.
LAB_TIMEOUT=${CAPSTAN_LAB_TIMEOUT:-60}
# HTTPS hosts apt may tunnel to through the proxy (CONNECT); everything else is refused.
LAB_PASSTHROUGH=${CAPSTAN_LAB_PASSTHROUGH:-'^(deb\.debian\.org|security\.debian\.org|pkgs\.k8s\.io|prod-cdn\.packages\.k8s\.io|download\.docker\.com|nvidia\.github\.io):443$'}
# Where node upper dirs live: "auto" puts them on a tmpfs when the lab dir is itself on overlayfs
# (a Docker-based CI), which overlayfs does not accept as an upper layer; "yes" always does.
LAB_TMPFS=${CAPSTAN_LAB_TMPFS:-auto}
LAB_MAX_NODES=244

LAB_BRIDGE_ADDR="$LAB_SUBNET.1"
LAB_STATE="$LAB_DIR/state"
LAB_KEY="$LAB_DIR/id_ed25519"
LAB_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Seconds since an $EPOCHREALTIME reading, to a tenth.
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf 'lab: %s\n' "$*" >&2; }
die() { printf 'lab: error: %s\n' "$*" >&2; exit 1; }

# node_name I -> node-01 ... node-244 (two digits at least, so names sort up to 99).
node_name() { printf 'node-%02d' "$1"; }
node_addr() { printf '%s.%d' "$LAB_SUBNET" $((10 + $1)); }
node_dir() { printf '%s/nodes/%s' "$LAB_DIR" "$1"; }
# Host end of node I's veth pair; interface names are limited to 15 characters.
node_veth() { printf '%sv%d' "${LAB_BRIDGE:0:9}" "$1"; }

# --- state file: one record per line, "KIND NAME FIELD...", kept in memory and rewritten -----------
# atomically on every change. Reads never fork, which keeps `up` and `down` fast at 100+ nodes.

declare -A LAB_REC=()
LAB_ORDER=()

state_load() {
    local kind name rest
    LAB_REC=()
    LAB_ORDER=()
    [ -f "$LAB_STATE" ] || return 0
    while read -r kind name rest; do
        [ -n "$kind" ] || continue
        LAB_REC["$kind $name"]=$rest
        LAB_ORDER+=("$kind $name")
    done <"$LAB_STATE"
}
state_save() {
    # `down` forgets many records at once and writes the file when done (LAB_DEFER_SAVE=1).
    [ -z "${LAB_DEFER_SAVE:-}" ] || return 0
    local key
    local -A seen=()
    for key in "${LAB_ORDER[@]}"; do
        [ -n "${LAB_REC[$key]+x}" ] && [ -z "${seen[$key]+x}" ] || continue
        seen[$key]=1
        printf '%s %s\n' "$key" "${LAB_REC[$key]}"
    done >"$LAB_STATE.tmp"
    mv "$LAB_STATE.tmp" "$LAB_STATE"
}
state_rec() { REPLY=${LAB_REC["$1 $2"]-}; } # KIND NAME -> the record's fields in REPLY
state_get() { printf '%s' "${LAB_REC["$1 $2"]-}"; } # KIND NAME -> the record's fields
state_names() { # KIND -> every NAME recorded under KIND, in the order recorded
    local key
    for key in "${LAB_ORDER[@]}"; do
        if [ "${key%% *}" = "$1" ] && [ -n "${LAB_REC[$key]+x}" ]; then printf '%s\n' "${key#* }"; fi
    done | awk '!seen[$0]++'
}
state_del() { # KIND NAME
    [ -n "${LAB_REC["$1 $2"]+x}" ] || return 0
    unset 'LAB_REC["$1 $2"]'
    state_save
}
state_set() { # KIND NAME FIELD...
    local key="$1 $2"
    shift 2
    [ -n "${LAB_REC[$key]+x}" ] || LAB_ORDER+=("$key")
    LAB_REC[$key]="$*"
    state_save
}

# --- processes are identified by PID *and* start time, so a recycled PID is never signalled ------

pid_start() { # PID -> its start time in clock ticks since boot, or nothing if it is gone
    local stat f
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 0
    read -ra f <<<"${stat##*) }"
    # A zombie has finished; its parent (often PID 1, after `up` exits) reaps it in its own time.
    [ "${f[0]}" = Z ] || printf '%s' "${f[19]}"
}
pid_alive() { # PID START
    local want=$2 stat f
    [ -n "$1" ] && [ -n "$want" ] || return 1
    { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
    read -ra f <<<"${stat##*) }"
    [ "${f[0]}" != Z ] && [ "${f[19]}" = "$want" ]
}
# Signals a recorded process and waits up to SECONDS for it to go.
pid_stop() { # PID START SIGNAL SECONDS
    local pid=$1 start=$2 sig=$3 i
    pid_alive "$pid" "$start" || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < $4 * 20; i++)); do
        pid_alive "$pid" "$start" || return 0
        sleep 0.05
    done
    pid_alive "$pid" "$start" && kill -KILL "$pid" 2>/dev/null
    return 0
}

# Serialises `up`, `down` and friends on one lab dir.
lab_lock() {
    mkdir -p "$LAB_DIR"
    exec 9>"$LAB_DIR/lock"
    flock -w 300 9 || die "another lab command holds $LAB_DIR/lock"
    state_load
}
