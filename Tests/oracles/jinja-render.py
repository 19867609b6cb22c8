#!/usr/bin/env python3
"""Renders a Jinja template with Python's jinja2 the way Ansible's template module does
(trim_blocks, trailing newline kept, undefined is an error, Ansible's `to_json`), for the
experiment launcher's parity test: `jinja-render.py TEMPLATE CONTEXT.json` prints the result."""
import json
import sys

import jinja2

env = jinja2.Environment(trim_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
# ansible.builtin.to_json is json.dumps with Python's default separators and ensure_ascii.
env.filters["to_json"] = lambda value, **kw: json.dumps(value, **kw)
with open(sys.argv[1], encoding="utf-8") as f:
    template = env.from_string(f.read())
with open(sys.argv[2], encoding="utf-8") as f:
    context = json.load(f)
sys.stdout.write(template.render(**context))
