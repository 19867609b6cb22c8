#!/usr/bin/env python3
"""Regenerates the expected results of the lookups (`password`, `file`, `first_found`, `template`,
`vars`, `varnames`, `inventory_hostnames`, `pipe`, `lines`, `fileglob` and the list-shaping ones)
with Ansible's own Templar (ansible-core 2.19), and what the password lookup does to the file system.

Run with the venv's python from the package root:
    .build/venv/bin/python Tests/oracles/lookups-expected.py

Inputs (hand-written) under Tests/Fixtures/templating/lookups/:
  cases.jsonl   one expression a line: {"expr": ...}; relative files are found from that folder
  vars.json     the variables the expressions see (with playbook_dir set to that folder)
  text.txt, files/, templates/, other/   the files the lookups find
Paths under that folder are written as <LOOKUPS>, so the expectations do not depend on the checkout.
Outputs (generated, committed):
  expected/lookups.jsonl     per case {"expr", "value"} (JSON) or {"expr", "error"} (the first line of it)
  expected/password-file.json  a password file made in a new folder: the folder's and the file's
                               modes, the text's shape, and whether a second lookup returned the same
"""
import json
import os
import re
import shutil
import stat
import tempfile

os.environ.pop('CAPSTAN_LOOKUP_UNSET_VARIABLE', None)

from ansible.plugins.loader import init_plugin_loader

# community.general's list lookups (cartesian, flattened) come from the collections .ci/setup extracts.
init_plugin_loader([os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '.build', 'ansible-collections')])

from ansible.parsing.dataloader import DataLoader  # noqa: E402 - needs the plugin loader first
from ansible.template import Templar, trust_as_template  # noqa: E402

HERE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'Fixtures', 'templating'))
LOOKUPS = os.path.join(HERE, 'lookups')


def templar(basedir, variables=None):
    loader = DataLoader()
    loader.set_basedir(basedir)
    return Templar(loader=loader, variables=dict(variables or {}, playbook_dir=basedir))


def portable(value):
    """The value with the fixture folder's path written as <LOOKUPS>."""
    if isinstance(value, str):
        return value.replace(LOOKUPS, '<LOOKUPS>')
    if isinstance(value, (list, tuple)):
        return [portable(v) for v in value]
    if isinstance(value, dict):
        return {k: portable(v) for k, v in value.items()}
    return value


def evaluate(expr):
    with open(os.path.join(LOOKUPS, 'vars.json')) as f:
        variables = json.load(f)
    try:
        value = templar(LOOKUPS, variables).template(trust_as_template('{{ ' + expr + ' }}'))
        return {'expr': expr, 'value': portable(value)}
    except Exception as e:  # noqa: BLE001 - the message is the expected output
        return {'expr': expr, 'error': str(e).splitlines()[0]}


os.makedirs(os.path.join(HERE, 'expected'), exist_ok=True)
with open(os.path.join(LOOKUPS, 'cases.jsonl')) as f, open(os.path.join(HERE, 'expected', 'lookups.jsonl'), 'w') as out:
    for line in f:
        case = evaluate(json.loads(line)['expr'])
        out.write(json.dumps(case) + '\n')

work = tempfile.mkdtemp()
try:
    path = os.path.join(work, 'new', 'dir', 'secret')
    expr = "lookup('password', '%s chars=ascii_letters,digits length=32')" % path
    first = templar(work).template(trust_as_template('{{ ' + expr + ' }}'))
    second = templar(work).template(trust_as_template('{{ ' + expr + ' }}'))
    with open(path) as f:
        text = f.read()
    result = {
        'dir_mode': oct(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode)),
        'parent_mode': oct(stat.S_IMODE(os.stat(os.path.join(work, 'new')).st_mode)),
        'file_mode': oct(stat.S_IMODE(os.stat(path).st_mode)),
        'text_is_password_and_newline': text == first + '\n',
        'password_shape': bool(re.fullmatch(r'[A-Za-z0-9]{32}', first)),
        'second_lookup_same': first == second,
        'files_in_dir': sorted(os.listdir(os.path.dirname(path))),
    }
    with open(os.path.join(HERE, 'expected', 'password-file.json'), 'w') as out:
        json.dump(result, out, indent=1, sort_keys=True)
        out.write('\n')
finally:
    shutil.rmtree(work)
