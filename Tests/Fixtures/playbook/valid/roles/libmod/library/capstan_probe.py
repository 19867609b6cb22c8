#!/usr/bin/python
# A module of the role's own (library/), for the fallback tests.
from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec={"word": {"type": "str", "required": True}}, supports_check_mode=True)
    module.exit_json(changed=False, echoed=module.params["word"], check=module.check_mode)


main()
