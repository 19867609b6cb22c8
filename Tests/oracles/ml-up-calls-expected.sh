#!/usr/bin/env bash
# Writes the kubectl calls ansible-playbook makes for playbooks/ml.yml (defaults), as recorded by the
# kubectl test double on the first control plane: Fixtures/ml/expected/ml-up.calls.txt, one `argv:`
# line a call. MLLabTests compares `capstan ml up`'s calls with it.
# Needs a running lab of at least 3 nodes (Tests/lab/lab up 3) named by CAPSTAN_LAB_DIR, and
# `bash .ci/setup`. It installs the double as /usr/local/bin/kubectl on nodes 1-3 (and a stand-in
# /etc/kubernetes/admin.conf on node-01) and removes them, and what the run wrote, afterwards.
#   CAPSTAN_LAB_DIR=/var/lib/capstan-lab bash Tests/oracles/ml-up-calls-expected.sh
# Nothing in expected/ is written by hand.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LAB="${CAPSTAN_LAB_DIR:-/var/lib/capstan-lab}"
OUT="$ROOT/Tests/Fixtures/ml/expected/ml-up.calls.txt"
export ANSIBLE_CONFIG="$ROOT/Tests/oracles/ansible-empty.cfg" ANSIBLE_NOCOLOR=1 ANSIBLE_DEPRECATION_WARNINGS=0
export ANSIBLE_HOME="$ROOT/.build/ansible-home" ANSIBLE_COLLECTIONS_PATH="$ROOT/.build/ansible-home/collections"
work=$(mktemp -d)
nodes=(node-01 node-02 node-03)
cleanup() {
    for n in "${nodes[@]}"; do
        "$ROOT/Tests/lab/lab" exec "$n" rm -rf /usr/local/bin/kubectl /var/lib/kubectl-double /etc/capstan \
            /etc/containerd/certs.d /etc/kubernetes/admin.conf >/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
export CAPSTAN_LAB_DIR="$LAB"
for n in "${nodes[@]}"; do
    "$ROOT/Tests/lab/lab" exec "$n" sh -c \
        'rm -rf /var/lib/kubectl-double /etc/capstan; cat > /usr/local/bin/kubectl; chmod 0755 /usr/local/bin/kubectl' \
        <"$ROOT/Tests/doubles/kubectl"
done
# The roles stop on a control plane without kubeadm's admin kubeconfig; the double reads none.
"$ROOT/Tests/lab/lab" exec node-01 sh -c \
    'mkdir -p /etc/kubernetes && echo "# kubeconfig of the kubectl TEST DOUBLE" >/etc/kubernetes/admin.conf'
# The seeds' shape, as MLLabTests writes it: the first node the control plane, two workers.
{
    echo "[kube-master]"
    grep '^node-01 ' "$LAB/inventory.ini"
    echo
    echo "[kube-node]"
    grep -E '^node-0[23] ' "$LAB/inventory.ini"
    echo
    sed -n '/^\[all:vars\]/,$p' "$LAB/inventory.ini"
} >"$work/hosts.ini"
"$ROOT/.build/venv/bin/ansible-playbook" -i "$work/hosts.ini" "$ROOT/playbooks/ml.yml" \
    -e "capstan_artifacts_dir=$work/artifacts" -e ansible_python_interpreter=/usr/bin/python3 >"$work/run.log" ||
    { cat "$work/run.log"; exit 1; }
"$ROOT/Tests/lab/lab" exec node-01 sh -c 'grep "^argv:" /var/lib/kubectl-double/log' >"$OUT"
echo "wrote $OUT ($(wc -l <"$OUT") calls)"
