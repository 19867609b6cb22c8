#!/usr/bin/env python3
"""Prints, for each case in the JSON file given, the message ansible-core's AnsibleModule fails with when
it checks the case's parameters against the case's argument spec (the first error of
ModuleArgumentSpecValidator, "Unsupported parameters for (NAME) module: ..." for unknown names), or null
when the parameters pass. Run with the test venv's Python (ansible-core):

    .build/venv/bin/python Tests/oracles/module-arguments-expected.py cases.json
"""
import json
import sys

from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

answers = []
with open(sys.argv[1]) as cases:
    cases = json.load(cases)
for case in cases:
    validator = ModuleArgumentSpecValidator(
        case["spec"],
        mutually_exclusive=case.get("mutually_exclusive") or None,
        required_one_of=case.get("required_one_of") or None,
    )
    result = validator.validate(case["params"])
    if not result.errors.errors:
        answers.append(None)
        continue
    message = result.errors.msg
    if isinstance(result.errors[0], UnsupportedError):
        message = "Unsupported parameters for ({0}) module: {1}".format(case["module"], message)
    answers.append(message)
json.dump(answers, sys.stdout)
