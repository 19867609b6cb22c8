"""Writes a pyinfra inventory.py from the lab's inventory.ini: the [lab] hosts with their address,
user and key, and the lab's known_hosts with strict checking (as ansible_ssh_common_args asks of
Ansible and Capstan).
    inventory-to-pyinfra.py LAB_DIR/inventory.ini OUT.py
"""
import os
import sys

ini, out = sys.argv[1], sys.argv[2]
known_hosts = os.path.join(os.path.dirname(ini), "known_hosts")
hosts, section = [], None
for raw in open(ini):
    line = raw.strip()
    if line.startswith("["):
        section = line
    elif section == "[lab]" and line and not line.startswith("#"):
        name, *pairs = line.split()
        var = dict(pair.split("=", 1) for pair in pairs)
        hosts.append((name, {
            "ssh_hostname": var["ansible_host"], "ssh_user": var["ansible_user"],
            "ssh_key": var["ansible_ssh_private_key_file"], "ssh_known_hosts_file": known_hosts,
            "ssh_strict_host_key_checking": "yes", "ssh_allow_agent": False, "ssh_look_for_keys": False,
        }))
with open(out, "w") as f:
    f.write("lab = %r\n" % hosts)
