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

# --- state file: one record per line, "KIND NAME FIELD...", rewritten atomically -----------------

state_get() { # KIND NAME -> the record's fields, or nothing
    [ -f "$LAB_STATE" ] || return 0
    awk -v k="$1" -v n="$2" '$1 == k && $2 == n { $1 = ""; $2 = ""; sub(/^  /, ""); print; exit }' "$LAB_STATE"
}
state_names() { # KIND -> every NAME recorded under KIND, in file order
    [ -f "$LAB_STATE" ] || return 0
    awk -v k="$1" '$1 == k { print $2 }' "$LAB_STATE"
}
state_del() { # KIND NAME
    [ -f "$LAB_STATE" ] || return 0
    awk -v k="$1" -v n="$2" '!($1 == k && $2 == n)' "$LAB_STATE" >"$LAB_STATE.tmp"
    mv "$LAB_STATE.tmp" "$LAB_STATE"
}
state_set() { # KIND NAME FIELD...
    state_del "$1" "$2"
    printf '%s\n' "$*" >>"$LAB_STATE"
}

# --- processes are identified by PID *and* start time, so a recycled PID is never signalled ------

pid_start() { # PID -> its start time in clock ticks since boot, or nothing if it is gone
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    set -- $stat
    # A zombie has finished; its parent (often PID 1, after `up` exits) reaps it in its own time.
    [ "$1" = Z ] || printf '%s' "${20}"
}
pid_alive() { # PID START
    [ -n "$1" ] && [ -n "$2" ] && [ "$(pid_start "$1")" = "$2" ]
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
}
