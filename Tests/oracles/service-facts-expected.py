#!/usr/bin/env python3
"""Runs ansible-core's service_facts scanners (ServiceScanService's sysvinit scan and
SystemctlScanService) on every case of Tests/Fixtures/files/service-facts-cases.json, with a stand-in
module whose run_command answers from the case (`service --status-all`, `systemctl list-units`,
`list-unit-files`, `systemctl show NAME --property=ActiveState`), and writes the services each case
gives, as the module would return them, to service-facts-expected.json.

Run with the venv's python (bash .ci/setup first):
    .build/venv/bin/python Tests/oracles/service-facts-expected.py
"""
import json
import pathlib

from ansible.modules import service_facts

fixtures = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "files"
cases = json.loads((fixtures / "service-facts-cases.json").read_text())


class Module:
    def __init__(self, case):
        self.case = case
        self.warnings = []

    def run_command(self, command, **kwargs):
        def answer(part):
            given = self.case[part]
            return (given["rc"], given["out"], "") if given else (127, "", "not found")
        if "--status-all" in command:
            return answer("status_all")
        if "list-unit-files" in command:
            return answer("files")
        if "list-units" in command:
            return answer("units")
        name = command.split()[2]
        if name in self.case["shows"]:
            return 0, "ActiveState=%s\n" % self.case["shows"][name], ""
        return 1, "", "Failed to get properties"

    def warn(self, message):
        self.warnings.append(message)

    def fail_json(self, **kwargs):
        raise RuntimeError(kwargs["msg"])


expected = []
for case in cases:
    module = Module(case)
    services = {}
    service_facts.os.path.exists = lambda path, case=case: path == "/etc/init.d" and case["initd"]
    if case["status_all"] is not None:
        scan = service_facts.ServiceScanService(module)
        scan.service_path = "/usr/sbin/service"
        scan._list_sysvinit(services)
    systemd = service_facts.SystemctlScanService(module)
    found = {}
    if case["units"] is not None:
        systemd._list_from_units("/usr/bin/systemctl", found)
    if case["files"] is not None:
        systemd._list_from_unit_files("/usr/bin/systemctl", found)
    services.update(found)
    expected.append({"name": case["name"], "services": services})
(fixtures / "service-facts-expected.json").write_text(json.dumps(expected, indent=1) + "\n")
print(f"wrote {len(expected)} cases")
