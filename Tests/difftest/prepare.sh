#!/bin/sh
# Run on each fresh node (as root, before any playbook) to give the playbooks things to change
# that must exist beforehand: files to edit or remove, a tarball on the node, an fstab line, a
# user and a group to remove, and a common host name. Both tools' nodes get exactly the same.
set -eu
# One host name for every node, so that the node states compare whatever the lab named them.
hostname dt-node
echo dt-node >/etc/hostname
mkdir -p /srv/dt-pre/gonedir/sub /srv/dt-pre/rsrc/inner /srv/dt-pre/unpacked /srv/dt-pre/unpacked-up
printf 'gone\n' >/srv/dt-pre/gone.txt
printf 'deep\n' >/srv/dt-pre/gonedir/sub/x
printf 'modes\n' >/srv/dt-pre/modes.txt
chmod 0644 /srv/dt-pre/modes.txt
printf 'name = old\nport=80\nremove me\ncolor: red\nremove this too\ncolour: blue\n' >/srv/dt-pre/edit.conf
printf 'r1\n' >/srv/dt-pre/rsrc/r1.txt
printf 'r2\n' >/srv/dt-pre/rsrc/inner/r2.txt
tar -C /srv/dt-pre/rsrc --owner=0 --group=0 --mtime='2026-01-01 00:00:00' -cf /srv/dt-pre/remote.tar r1.txt inner
echo '/dev/dt-old /mnt/dt-old ext4 defaults 0 2' >>/etc/fstab
groupadd -g 2400 dtgonegroup
useradd -M -u 2401 -s /usr/sbin/nologin dtgone
