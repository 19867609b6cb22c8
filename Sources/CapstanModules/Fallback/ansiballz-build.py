# Capstan's controller-side helper for modules Capstan does not implement: packs an Ansible module
# with ansible-core's own packer (module_common.modify_module, the AnsiballZ builder), so the node
# runs exactly what ansible-playbook would send.
#
# Usage: python3 -c "$(this file)" < REQUEST
# REQUEST, on standard input because it holds the task's arguments, is a JSON object: module, args,
# interpreter, check_mode, diff, no_log, verbosity, remote_tmp, library (folders), module_utils
# (folders). Prints one line of JSON, {"resolved": FQCN, "path": source} or {"error": message}, then,
# when resolved, the payload's bytes.
import json
import os
import sys


def fail(message):
    print(json.dumps({"error": message}))
    sys.exit(0)


def main():
    request = json.load(sys.stdin)
    try:
        from ansible import __version__
        from ansible.executor.module_common import modify_module
        from ansible.parsing.dataloader import DataLoader
        from ansible.plugins.loader import init_plugin_loader, module_loader, module_utils_loader
        from ansible.template import Templar
    except ImportError as error:
        fail("ansible-core is not installed for %s (%s)" % (sys.executable, error))

    init_plugin_loader()
    for folder in request.get("library", []):
        if os.path.isdir(folder):
            module_loader.add_directory(folder)
    for folder in request.get("module_utils", []):
        if os.path.isdir(folder):
            module_utils_loader.add_directory(folder)

    name = request["module"]
    found = module_loader.find_plugin_with_context(name, ".py")
    if not found.resolved or not found.plugin_resolved_path:
        fail("couldn't resolve module/action '%s'. This often indicates a misspelling, missing collection, "
             "or incorrect module path." % name)
    path = found.plugin_resolved_path
    if not path.endswith(".py"):
        fail("module '%s' (%s) is not a Python module; the fallback runs Python modules only" % (name, path))

    args = dict(request.get("args", {}))
    args.update({
        "_ansible_check_mode": bool(request.get("check_mode")),
        "_ansible_no_log": bool(request.get("no_log")),
        "_ansible_debug": False,
        "_ansible_diff": bool(request.get("diff")),
        "_ansible_verbosity": int(request.get("verbosity", 0)),
        "_ansible_version": __version__,
        "_ansible_module_name": name,
        "_ansible_syslog_facility": "LOG_USER",
        "_ansible_selinux_special_fs": ["fuse", "nfs", "vboxsf", "ramfs", "9p", "vfat"],
        "_ansible_shell_executable": "/bin/sh",
        "_ansible_keep_remote_files": False,
        "_ansible_tmpdir": None,
        "_ansible_remote_tmp": request.get("remote_tmp", "~/.ansible/tmp"),
        "_ansible_ignore_unknown_opts": False,
        "_ansible_target_log_info": None,
        "_ansible_tracebacks_for": [],
    })
    interpreter = request.get("interpreter") or "/usr/bin/python3"
    task_vars = {"ansible_python_interpreter": interpreter, "ansible_facts": {}}
    try:
        built = modify_module(
            module_name=found.resolved_fqcn or name, module_path=path, module_args=args,
            templar=Templar(loader=DataLoader()), task_vars=task_vars)
    except Exception as error:  # noqa: BLE001 -- any packing failure is reported for the task
        fail("could not pack module '%s': %s" % (name, error))
    if built.module_style != "new":
        fail("module '%s' is a %s-style module; the fallback runs AnsiballZ (new-style) modules only"
             % (name, built.module_style))
    sys.stdout.write(json.dumps({"resolved": found.resolved_fqcn or name, "path": path}) + "\n")
    sys.stdout.flush()
    sys.stdout.buffer.write(built.b_module_data)


main()
