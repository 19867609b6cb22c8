#!/usr/bin/env python3
"""Regenerates the expected results of the collection filters Capstan carries: ansible.utils'
ipaddr/ipv4/ipv6/ipwrap (netaddr), community.general's json_query (jmespath) and dict, and
ansible-core's urlsplit and password_hash (passlib), with Ansible's own Templar (ansible-core 2.19)
and the collections .ci/setup extracts into .build/ansible-collections.

Run with the venv's python from the package root:
    .build/venv/bin/python Tests/oracles/filters-expected.py

Input (hand-written): Tests/Fixtures/templating/filters/cases.jsonl, one expression a line:
  {"expr": ...}; the variables in Tests/Fixtures/templating/filters/vars.json are defined.
Output (generated, committed): Tests/Fixtures/templating/expected/filters.jsonl, per case
  {"expr", "value"} (JSON) or {"expr", "error"} (the first line of it).
"""
import json
import os

from ansible.plugins.loader import init_plugin_loader

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
init_plugin_loader([os.path.join(ROOT, '.build', 'ansible-collections')])

from ansible.parsing.dataloader import DataLoader  # noqa: E402 - needs the plugin loader first
from ansible.template import Templar, trust_as_template  # noqa: E402

HERE = os.path.join(ROOT, 'Tests', 'Fixtures', 'templating')
FILTERS = os.path.join(HERE, 'filters')

with open(os.path.join(FILTERS, 'vars.json')) as f:
    VARIABLES = json.load(f)


def evaluate(expr):
    templar = Templar(loader=DataLoader(), variables=VARIABLES)
    try:
        return {'expr': expr, 'value': templar.template(trust_as_template('{{ ' + expr + ' }}'))}
    except Exception as e:  # noqa: BLE001 - the message is the expected output
        return {'expr': expr, 'error': str(e).splitlines()[0]}


with open(os.path.join(FILTERS, 'cases.jsonl')) as f, open(os.path.join(HERE, 'expected', 'filters.jsonl'), 'w') as out:
    for line in f:
        out.write(json.dumps(evaluate(json.loads(line)['expr'])) + '\n')
