#!/usr/bin/env python3
"""Writes which fact groups Ansible's own collector selection picks for each gather_subset list in
Fixtures/facts/subset-cases.json, using ansible-core's get_collector_names with the setup module's
minimal subset and the real Linux collectors. A group counts as selected when its collector is
(hardware, network, virtual) or, for min, when every minimal collector is.

    .build/venv/bin/python Tests/oracles/facts-subsets-expected.py
"""
import json
import pathlib

from ansible.module_utils.facts import collector, default_collectors

fixtures = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "facts"
# The setup module's own list (ansible/modules/setup.py).
minimal = frozenset(["apparmor", "caps", "cmdline", "date_time", "distribution", "dns", "env", "fips", "local",
                     "lsb", "pkg_mgr", "platform", "python", "selinux", "service_mgr", "ssh_pub_keys", "user"])
# Only the groups Capstan knows are subsets here (facter and ohai are not gathered).
classes = [c for c in default_collectors.collectors if c.name not in ("facter", "ohai")]
valid, alias_map = collector.build_fact_id_to_collector_map(classes)
valid_subsets = frozenset(valid.keys()) | frozenset(["all"])
rows = []
for spec in json.loads((fixtures / "subset-cases.json").read_text()):
    try:
        names = collector.get_collector_names(valid_subsets=valid_subsets, minimal_gather_subset=minimal,
                                              gather_subset=spec, aliases_map=alias_map)
        groups = [g for g in ("hardware", "network", "virtual") if g in names]
        if minimal <= names:
            groups.insert(0, "min")
        rows.append({"spec": spec, "groups": groups})
    except TypeError as error:
        rows.append({"spec": spec, "error": str(error).split(" given")[0]})
(fixtures / "subset-expected.json").write_text(json.dumps(rows, indent=1) + "\n")
print(f"wrote {len(rows)} cases")
