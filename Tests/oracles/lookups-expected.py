#!/usr/bin/env python3
"""Regenerates the expected results of the `password` and `file` lookups with Ansible's own Templar
(ansible-core 2.19), and what the password lookup does to the file system.

Run with the venv's python from the package root:
    .build/venv/bin/python Tests/oracles/lookups-expected.py

Inputs (hand-written) under Tests/Fixtures/templating/lookups/:
  cases.jsonl   one expression a line: {"expr": ...}; relative files are found from that folder
  text.txt      the file the `file` lookup reads
Outputs (generated, committed):
  expected/lookups.jsonl     per case {"expr", "value"} or {"expr", "error"} (the first line of it)
  expected/password-file.json  a password file made in a new folder: the folder's and the file's
                               modes, the text's shape, and whether a second lookup returned the same
"""
import json
import os
import re
import shutil
import stat
import tempfile

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'Fixtures', 'templating')
LOOKUPS = os.path.join(HERE, 'lookups')


def templar(basedir):
    loader = DataLoader()
    loader.set_basedir(basedir)
    return Templar(loader=loader, variables={'playbook_dir': basedir})


def evaluate(expr):
    try:
        return {'expr': expr, 'value': templar(LOOKUPS).template(trust_as_template('{{ ' + expr + ' }}'))}
    except Exception as e:  # noqa: BLE001 - the message is the expected output
        return {'expr': expr, 'error': str(e).splitlines()[0]}


os.makedirs(os.path.join(HERE, 'expected'), exist_ok=True)
with open(os.path.join(LOOKUPS, 'cases.jsonl')) as f, open(os.path.join(HERE, 'expected', 'lookups.jsonl'), 'w') as out:
    for line in f:
        case = evaluate(json.loads(line)['expr'])
        if 'value' in case and not isinstance(case['value'], str):
            case['value'] = [str(v) for v in case['value']]
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
