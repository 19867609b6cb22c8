#!/usr/bin/env python3
"""Regenerates the templating corpus's expected results with Ansible's own Templar (ansible-core 2.19).

Run with the venv's python from the package root:
    .build/venv/bin/python Tests/oracles/templating-expected.py

Inputs (hand-written) under Tests/Fixtures/templating/:
  vars.json            variables every case sees
  expressions.jsonl    one case a line: {"expr": ..., "vars": {...}?}; an expr without '{{' or '{%'
                       is wrapped as '{{ expr }}'
  conditionals.jsonl   one `when:` expression a line: {"expr": ..., "vars": {...}?}, judged by
                       Templar.evaluate_conditional (the result must be a boolean in 2.19)
  yaml-strings.jsonl   one template a line as YAML gives it to Ansible ({"template": ...}), rendered as
                       task arguments and variables are, with escape_backslashes on (Templar's default):
                       string literals inside {{ }} keep their backslashes
  templates/*.j2       template files, rendered as the template module does (trim_blocks on; a
                       lone value that is not a string is written as its str(), None as nothing);
                       names starting with 'lstrip-' also set lstrip_blocks, 'notrim-' turn trim_blocks off;
                       `{% include %}` finds other files in the same folder
Outputs (generated, committed):
  expected/expressions.jsonl   per case {"expr", "type", "value"} or {"expr", "error"}
  expected/conditionals.jsonl  per case {"expr", "result"} or {"expr", "error"}
  expected/yaml-strings.jsonl  per case {"template", "type", "value"} or {"template", "error"}
  expected/templates/NAME.json {"text": ...} or {"error": ...}
"""
import json
import os
import sys

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'Fixtures', 'templating')
TYPES = {bool: 'bool', int: 'int', float: 'float', str: 'str', type(None): 'NoneType', list: 'list', dict: 'dict'}


def plain(value):
    """Native Python data without Ansible's tagged subclasses; tuples become lists."""
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    raise TypeError(f'unsupported result type {type(value).__name__}')


def type_name(value):
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return TYPES[kind]
    if value is None:
        return 'NoneType'
    return 'dict' if isinstance(value, dict) else 'list'


def render(text, variables, overrides=None):
    templar = Templar(loader=DataLoader(), variables=variables)
    templar = templar.copy_with_new_env(searchpath=[os.path.join(ROOT, 'templates')])
    return templar.template(trust_as_template(text), escape_backslashes=False, overrides=overrides)


def render_yaml_strings(shared):
    """The yaml-strings cases, rendered with Templar's defaults (escape_backslashes on)."""
    records = []
    with open(os.path.join(ROOT, 'yaml-strings.jsonl')) as f:
        for line in f:
            if not line.strip():
                continue
            case = json.loads(line)
            record = dict(case)
            templar = Templar(loader=DataLoader(), variables=dict(shared))
            try:
                result = templar.template(trust_as_template(case['template']))
                record['type'] = type_name(result)
                record['value'] = plain(result)
            except Exception as e:
                record['error'] = str(e).splitlines()[0]
            records.append(json.dumps(record))
    with open(os.path.join(ROOT, 'expected', 'yaml-strings.jsonl'), 'w') as f:
        f.write('\n'.join(records) + '\n')
    return len(records)


def main():
    with open(os.path.join(ROOT, 'vars.json')) as f:
        shared = json.load(f)
    out_dir = os.path.join(ROOT, 'expected')
    os.makedirs(os.path.join(out_dir, 'templates'), exist_ok=True)
    os.environ['CAPSTAN_TEMPLATING_TEST'] = 'from-env'

    lines = []
    with open(os.path.join(ROOT, 'expressions.jsonl')) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            case = json.loads(line)
            expr = case['expr']
            text = expr if ('{{' in expr or '{%' in expr) else '{{ ' + expr + ' }}'
            variables = dict(shared, **case.get('vars', {}))
            record = {'expr': expr}
            if 'vars' in case:
                record['vars'] = case['vars']
            try:
                result = render(text, variables)
                record['type'] = type_name(result)
                record['value'] = plain(result)
            except TypeError as e:
                sys.exit(f'expressions.jsonl:{number}: {expr}: {e}')
            except Exception as e:  # the case must fail in Capstan too
                record['error'] = str(e).splitlines()[0]
            lines.append(json.dumps(record))
    with open(os.path.join(out_dir, 'expressions.jsonl'), 'w') as f:
        f.write('\n'.join(lines) + '\n')

    conditionals = []
    with open(os.path.join(ROOT, 'conditionals.jsonl')) as f:
        for line in f:
            if not line.strip():
                continue
            case = json.loads(line)
            record = dict(case)
            templar = Templar(loader=DataLoader(), variables=dict(shared, **case.get('vars', {})))
            try:
                record['result'] = bool(templar.evaluate_conditional(trust_as_template(case['expr'])))
            except Exception as e:
                record['error'] = str(e).splitlines()[0]
            conditionals.append(json.dumps(record))
    with open(os.path.join(out_dir, 'conditionals.jsonl'), 'w') as f:
        f.write('\n'.join(conditionals) + '\n')

    yaml_strings = render_yaml_strings(shared)

    tdir = os.path.join(ROOT, 'templates')
    for name in sorted(os.listdir(tdir)):
        if not name.endswith('.j2'):
            continue
        with open(os.path.join(tdir, name)) as f:
            text = f.read()
        overrides = {'trim_blocks': not name.startswith('notrim-'), 'lstrip_blocks': name.startswith('lstrip-')}
        try:
            result = render(text, dict(shared), overrides)
            # The template action writes None as nothing, any other value as its str().
            result = '' if result is None else result
            record = {'text': result if isinstance(result, str) else str(plain(result))}
        except Exception as e:
            record = {'error': str(e).splitlines()[0]}
        with open(os.path.join(out_dir, 'templates', name[:-3] + '.json'), 'w') as f:
            f.write(json.dumps(record, indent=1) + '\n')
    print(f'{len(lines)} expressions, {len(conditionals)} conditionals, {yaml_strings} YAML strings, {len([n for n in os.listdir(tdir) if n.endswith(".j2")])} templates')


if __name__ == '__main__':
    main()
