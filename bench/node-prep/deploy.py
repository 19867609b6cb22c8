"""The pyinfra twin of site.yml: the same 20 steps, in the same order, with pyinfra operations.

Steps 19 and 20 (a stat and a read-only command in the playbook) are pyinfra facts here, the
pyinfra way to read remote state without an operation that counts as a change.
"""
from io import StringIO

from pyinfra import host
from pyinfra.facts.files import File
from pyinfra.facts.server import Command
from pyinfra.operations import files, server, systemd

server.group(name="01 group kubebench", group="kubebench", system=True)
server.user(name="02 user kubebench", user="kubebench", group="kubebench", system=True,
            shell="/usr/sbin/nologin", create_home=False, home="/home/kubebench")
files.directory(name="03 config directory", path="/etc/capstan-bench", mode="755")
files.directory(name="04 binary directory", path="/opt/k8s/bin", mode="755")
files.link(name="05 symlink", path="/opt/k8s/bin/sleep", target="/bin/sleep")
files.put(name="06 file with content", dest="/etc/capstan-bench/node.conf", mode="644",
          src=StringIO("# written by bench/node-prep\nrole=worker\npods=110\n"))
files.template(name="07 template", src="templates/kubelet.env.j2", dest="/etc/capstan-bench/kubelet.env",
               mode="644", inventory_hostname=host.name, ansible_host=host.data.ssh_hostname)
files.put(name="08 kernel modules to load", dest="/etc/modules-load.d/k8s.conf", mode="644",
          src=StringIO("overlay\nbr_netfilter\n"))
for step, key in (("09", "net.ipv4.ip_forward"), ("10", "net.ipv4.conf.all.forwarding"),
                  ("11", "net.ipv6.conf.all.forwarding")):
    server.sysctl(name=f"{step} sysctl {key}", key=key, value=1, persist=True,
                  persist_file="/etc/sysctl.d/k8s.conf")
# sed and grep take a basic regular expression: the same pattern as the playbook's Python one.
files.replace(name="12 comment swap lines in fstab", path="/etc/fstab",
              text=r"^\([^#].*[[:space:]]swap[[:space:]].*\)$", replace=r"# \1")
files.line(name="13 limits nofile", path="/etc/security/limits.conf", line=r"^\* soft nofile",
           replace="* soft nofile 65536")
files.line(name="14 environment", path="/etc/environment", line=r"^CONTAINER_RUNTIME_ENDPOINT=",
           replace="CONTAINER_RUNTIME_ENDPOINT=unix:///run/containerd/containerd.sock")
files.block(name="15 limits block", path="/etc/security/limits.conf",
            content="kubebench soft nproc 4096\nkubebench hard nproc 8192")
unit = files.put(name="16 systemd unit", dest="/etc/systemd/system/capstan-bench-sleep.service", mode="644",
                 src=StringIO("[Unit]\nDescription=capstan bench placeholder\n\n[Service]\n"
                              "ExecStart=/bin/sleep infinity\n\n[Install]\nWantedBy=multi-user.target\n"))
systemd.daemon_reload(name="17 daemon reload", _if=unit.did_change)
systemd.service(name="18 service enabled and started", service="capstan-bench-sleep.service",
                running=True, enabled=True)
host.get_fact(File, path="/etc/capstan-bench/node.conf")
host.get_fact(Command, command="cat /proc/sys/net/ipv4/ip_forward")
