# Records what ansible-playbook's callbacks receive as Capstan run events (the JSON-lines shape of
# JSONLinesOutput), one object per line, into $CAPSTAN_EVENTS_FILE. The output tests replay these
# events into PlaybookTerminalOutput and compare its text with the stdout of Ansible's `default`
# callback from the same run, so neither side of the comparison is written by hand.
from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
    name: capstan_events
    type: aggregate
    short_description: record run events for Capstan's output tests
    description: Writes one JSON object per callback event to the file named by CAPSTAN_EVENTS_FILE.
"""

INCLUDE_ACTIONS = {"include_tasks", "include_role", "ansible.builtin.include_tasks", "ansible.builtin.include_role"}


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "capstan_events"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._out = open(os.environ["CAPSTAN_EVENTS_FILE"], "w", encoding="utf-8")
        self._index = 0

    def _write(self, obj):
        self._out.write(json.dumps(obj, default=str, ensure_ascii=False) + "\n")
        self._out.flush()

    def v2_playbook_on_play_start(self, play):
        hosts = [h.name for h in play.get_variable_manager()._inventory.get_hosts(play.hosts)] if play.hosts else []
        self._write({"event": "play_start", "name": play.get_name().strip(), "hosts": hosts,
                     "check_mode": bool(play.check_mode)})

    def _task_start(self, task, handler):
        self._index += 1
        obj = {"event": "task_start", "name": task.get_name().strip(), "index": self._index,
               "action": task.action, "handler": handler, "loop": task.loop is not None}
        origin = task._origin
        if origin and origin.path:
            obj["location"] = f"{origin.path}:{origin.line_num}:{origin.col_num}"
        self._write(obj)

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_start(task, False)

    def v2_playbook_on_handler_task_start(self, task):
        self._task_start(task, True)

    def _result(self, result, status, ignored=False, item=False):
        fields = result.result
        obj = {"event": "host_result", "host": result.host.get_name(), "status": status,
               "module": result.task.action, "duration_ms": 0}
        if item:
            label = self._get_item_label(fields)
            obj["item"] = str(label)
        if result.task.delegate_to and result.task.delegate_to != result.host.get_name():
            obj["delegated_to"] = result.task.delegate_to
        if ignored:
            obj["ignored"] = True
        obj["result"] = fields
        self._write(obj)

    def _ok_status(self, result):
        return "changed" if result.result.get("changed", False) else "ok"

    def v2_runner_on_ok(self, result):
        self._result(result, self._ok_status(result))

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result(result, "failed", ignored=ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._result(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._result(result, "unreachable", ignored=bool(result.task.ignore_unreachable))

    def v2_runner_item_on_ok(self, result):
        self._result(result, self._ok_status(result), item=True)

    def v2_runner_item_on_failed(self, result):
        self._result(result, "failed", item=True)

    def v2_runner_item_on_skipped(self, result):
        self._result(result, "skipped", item=True)

    def v2_playbook_on_include(self, included_file):
        obj = {"event": "included", "file": included_file._filename, "hosts": [h.name for h in included_file._hosts]}
        label = self._get_item_label(included_file._vars)
        if label:
            obj["item"] = str(label)
        self._write(obj)

    def v2_playbook_on_no_hosts_matched(self):
        self._write({"event": "no_hosts", "message": "no hosts matched"})

    def v2_playbook_on_no_hosts_remaining(self):
        self._write({"event": "no_hosts", "message": "NO MORE HOSTS LEFT"})

    def v2_playbook_on_stats(self, stats):
        hosts = {}
        for h in sorted(stats.processed.keys()):
            t = stats.summarize(h)
            hosts[h] = {"ok": t["ok"], "changed": t["changed"], "unreachable": t["unreachable"],
                        "failed": t["failures"], "skipped": t["skipped"], "rescued": t["rescued"],
                        "ignored": t["ignored"]}
        self._write({"event": "recap", "hosts": hosts})
        self._out.close()
