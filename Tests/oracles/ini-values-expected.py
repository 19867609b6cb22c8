#!/usr/bin/env python3
"""Writes Tests/Fixtures/inventory/expected/ini-values.json: how ansible-core's INI
inventory plugin types a value (`InventoryModule._parse_value`, i.e. ast.literal_eval with Ansible's
fallbacks), for every value string listed below. The values are inputs; the results come from Ansible.

Run:  .build/venv/bin/python Tests/oracles/ini-values-expected.py
"""
import json
import os

from ansible._internal._datatag._tags import Origin
from ansible.plugins.inventory.ini import InventoryModule

VALUES = [
    "1", "-5", "+5", "--5", "0", "00", "0755", "0x1F", "0o17", "0b101", "1_000", "1__0", "_1", "1_",
    "1.5", "1.", ".5", "1e3", "1E-2", "1_0.5", "1.2.3", "10.0.0.1", "1e", "12abc",
    "True", "False", "None", "true", "yes", "no", "on", "null", "none",
    "'s'", '"d"', "'it''s'", "'a' 'b'", "'\\x41\\n'", "'\\q'", "r'\\d'", "b'bytes'", "u'uni'", "f'x'",
    "'''triple'''", "'unterminated", "x y", "foo # comment", "1 # comment", "True # c", "",
    "[1, 'a', None]", "[1, [2, {'k': ()}]]", "(1,)", "(1, 2)", "()", "1, 2", "{'a': 1, 'b': [True]}",
    "{1: 'int key'}", "{}", "{1, 2}", "[1,", "{'a' 1}", "...", "1 + 2", "/usr/bin/python3", "~/.ssh/id",
    "http://x:80/p", "a=b", "$HOME", "{{ jinja }}", "-", "user@host", "-1.5", "[ 1 , 2 ]",
]


def main():
    module = InventoryModule()
    module._origin = Origin(path="/inventory.ini", line_num=1)
    cases = [{"text": v, "value": module._parse_value(v)} for v in VALUES]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "Fixtures", "inventory", "expected", "ini-values.json")
    with open(out, "w") as f:
        json.dump(cases, f, indent=2)
        f.write("\n")
    print(f"wrote {len(cases)} values to {out}")


if __name__ == "__main__":
    main()
