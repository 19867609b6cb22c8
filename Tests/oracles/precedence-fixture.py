#!/usr/bin/env python3
"""Writes the variable-precedence fixture under Tests/Fixtures/execution/precedence.

Levels are listed lowest first. For every level L, the variable v_<L> is defined at L and at every
lower level, each with the defining level's name as value; so if precedence is right, v_<L> == L.
The expected values are then recorded by precedence-expected.sh from ansible-playbook."""
import json, os, pathlib

LEVELS = [
    "role_defaults", "inv_file_group", "inv_group_vars_all", "pb_group_vars_all", "inv_group_vars_group",
    "pb_group_vars_group", "inv_file_host", "inv_host_vars", "pb_host_vars", "play_vars", "play_vars_prompt",
    "play_vars_files", "role_vars", "block_vars", "task_vars", "set_fact", "role_params", "extra_vars",
]
root = pathlib.Path(__file__).resolve().parents[1] / "Fixtures/execution/precedence"


def defined_at(level):
    i = LEVELS.index(level)
    return {f"v_{k}": level for k in LEVELS[i:]}


def yaml(d, indent=0):
    pad = " " * indent
    return "".join(f"{pad}{k}: {json.dumps(v)}\n" for k, v in d.items())


def write(rel, text):
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)


write("roles/prec/defaults/main.yml", yaml(defined_at("role_defaults")))
write("roles/prec/vars/main.yml", yaml(defined_at("role_vars")))
write("inventory/hosts.ini",
      "[lab]\nnode-01 " + " ".join(f"{k}={v}" for k, v in defined_at("inv_file_host").items())
      + "\n\n[lab:vars]\n" + "".join(f"{k}={v}\n" for k, v in defined_at("inv_file_group").items()))
write("inventory/group_vars/all.yml", yaml(defined_at("inv_group_vars_all")))
write("inventory/group_vars/lab.yml", yaml(defined_at("inv_group_vars_group")))
write("inventory/host_vars/node-01.yml", yaml(defined_at("inv_host_vars")))
write("group_vars/all.yml", yaml(defined_at("pb_group_vars_all")))
write("group_vars/lab.yml", yaml(defined_at("pb_group_vars_group")))
write("host_vars/node-01.yml", yaml(defined_at("pb_host_vars")))
write("vars_file.yml", yaml(defined_at("play_vars_files")))
write("extra.yml", yaml(defined_at("extra_vars")))
names = ", ".join(f"'{k}': v_{k}" for k in LEVELS)
write("roles/prec/tasks/main.yml",
      "- name: set facts\n  set_fact:\n" + yaml(defined_at("set_fact"), 4)
      + "- name: block\n  vars:\n" + yaml(defined_at("block_vars"), 4)
      + "  block:\n    - name: show precedence\n      vars:\n" + yaml(defined_at("task_vars"), 8)
      + "      debug:\n        msg: \"{{ {" + names + "} | to_json }}\"\n")
prompt = "".join(f"    - name: {k}\n      prompt: unused\n      default: {v}\n"
                 for k, v in defined_at("play_vars_prompt").items())
write("playbook.yml",
      "- hosts: node-01\n  gather_facts: false\n  vars:\n" + yaml(defined_at("play_vars"), 4)
      + "  vars_prompt:\n" + prompt + "  vars_files:\n    - vars_file.yml\n  roles:\n    - role: prec\n"
      + yaml(defined_at("role_params"), 6))
