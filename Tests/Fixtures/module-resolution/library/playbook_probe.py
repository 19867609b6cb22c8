#!/usr/bin/python
# A module of the role's own (library/), for the fallback tests: echoes `word`, fails on "fail",
# reports a change outside check mode for "change".
from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec={"word": {"type": "str", "required": True}}, supports_check_mode=True)
    word = module.params["word"]
    if word == "fail":
        module.fail_json(msg="asked to fail", word=word)
    module.exit_json(changed=word == "change", echoed=word, check=module.check_mode)


main()
