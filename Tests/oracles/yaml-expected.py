#!/usr/bin/env python3
"""Writes Tests/Fixtures/yaml/cases.json: YAML inputs with what PyYAML's
safe_load_all makes of them (as JSON), the oracle for Capstan's YAML loader.

Run from anywhere with the venv's python:  .build/venv/bin/python Tests/oracles/yaml-expected.py
The inputs are listed below; the expected values are never written by hand.
"""
import datetime
import json
import os
import yaml

CASES = [
    ("bool words", "[yes, Yes, YES, no, No, NO, true, True, TRUE, false, False, FALSE, on, On, ON, off, Off, OFF]"),
    ("y and n stay strings", "[y, Y, n, N, yES, tRUE]"),
    ("nulls", "[~, null, Null, NULL, nUll, '', ]"),
    ("empty value is null", "a:\nb: 1\n"),
    ("decimal ints", "[0, -0, +7, 42, -17, 1_000, 12_34_]"),
    ("octal with leading zero", "[0755, 00, 0_7, -010]"),
    ("0o is a string", "[0o755, 0O17]"),
    ("08 and 09", "[08, 09, 0_8, 019]"),
    ("hex and binary", "[0x1F, 0xff, -0x10, 0b101, 0b1_0, 0XFF, 0x_1]"),
    ("sexagesimal ints", "[1:30, 190:20:30, -1:00, 1:60, 1:5]"),
    ("sexagesimal floats", "[1:30.5, 190:20:30.15]"),
    ("floats with dot", "[1.0, -1.5, +2.25, 1., 1_0.5, 3.14159, 0.1, 100.0]"),
    ("leading dot", "[.5, .5e+3, -.5, +.5]"),
    ("exponent needs dot and sign", "[1e3, 1E3, 1.0e3, 1.0e+3, 1.0e-3, 1.e+2, 6.02e+23, 1e+3]"),
    ("inf and nan", "[.inf, -.inf, +.Inf, .INF, .nan, .NaN, .NAN, .Nan, inf, nan]"),
    ("quoted scalars are strings", "['yes', \"no\", '1', \"0x1F\", '~', \"1.5\", 'null']"),
    ("block scalars are strings", "a: |\n  yes\nb: >\n  123\n"),
    ("literal keeps newlines", "a: |\n  line one\n  line two\n\n  four\nb: x\n"),
    ("folded with keep", "a: >+\n  one\n  two\n\nb: 1\n"),
    ("strip chomping", "a: |-\n  text\n\n"),
    ("explicit str tag", "[!!str 123, !!str yes, !!str ~, !!str 1.5]"),
    ("explicit int and float tags", "[!!int '42', !!float '1.5', !!int 0x10, !!bool 'yes', !!null '']"),
    ("ints as map keys", "1: a\n2.5: b\ntrue: c\n~: d\n"),
    ("merge single mapping", "base: &b {x: 1, y: 2}\nchild:\n  <<: *b\n  y: 3\n  z: 4\n"),
    ("merge list of mappings", "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  w: 0\n"),
    ("merge order with own keys first", "a: &a {k: 1}\nc:\n  own: 1\n  <<: *a\n"),
    ("nested merges", "a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  z: 3\n"),
    ("anchors and aliases", "a: &x [1, 2]\nb: *x\nc: &s hello\nd: *s\n"),
    ("multi documents", "--- 1\n--- two\n---\n- 3\n"),
    ("document end markers", "a: 1\n...\n---\nb: 2\n"),
    ("empty document", "---\n"),
    ("comments", "# c\na: 1 # trailing\n# end\n"),
    ("flow mapping", "{a: 1, b: [x, y], c: {d: null}}"),
    ("nested block", "top:\n  - name: one\n    vals: [1, 2]\n  - name: two\n    vals: {k: v}\n"),
    ("plain with colon inside", "url: http://example.com:8080/path\nt: 12:30:45\n"),
    ("hash without space", "a: b#c\n"),
    ("dates", "[2001-12-14, 2002-1-1]"),
    ("timestamp-like with time as string key", "x: 2001-12-14\n"),
    ("unicode", "name: caf\u00e9\nsym: \"\\u263A\"\n"),
    ("escapes in double quotes", "a: \"tab\\there\\nnew\"\nb: 'it''s'\n"),
    ("plain multi-line folding", "a: one\n  two\n  three\n"),
    ("ansible like vars", "ansible_port: 22\nansible_become: yes\nkey_file: ~/.ssh/id\nmode: 0644\nver: 1.20\n"),
    ("signs on words", "[+yes, -no, +.inf, -.nan]"),
    ("numbers with spaces", "[1 000, 1.0 e3]"),
    ("leading plus int", "[+0x1F, +0b1, +0755, +1_0]"),
    ("tilde inside", "[a~, ~a, ~~]"),
    ("equals-like strings", "[==, <<<, =x]"),
    ("lone equals has no constructor", "a: =\n"),
    ("undefined alias", "a: *nope\n"),
    ("syntax error", "a: [1, 2\nb: 3\n"),
    ("empty flow collections", "a: []\nb: {}\nc: ''\n"),
    ("top level scalar", "just a string"),
    ("top level int", "42"),
]


def to_jsonable(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return str(value)
    raise TypeError(type(value))


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "Fixtures", "yaml", "cases.json")
    cases = []
    for name, text in CASES:
        try:
            docs = list(yaml.safe_load_all(text))
            cases.append({"name": name, "yaml": text, "expected": json.dumps(docs, default=to_jsonable)})
        except yaml.YAMLError as error:
            # Only the fact that loading fails is compared; the wording is PyYAML's own.
            cases.append({"name": name, "yaml": text, "error": str(error).splitlines()[0]})
    with open(out, "w") as f:
        json.dump(cases, f, indent=2)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
