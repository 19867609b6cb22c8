import CapstanBasics
import Collections
import Foundation

/// Decides what the `file` module does for each state, following Ansible's `ensure_*` functions
/// (messages included), from the facts of the first command.
struct FilePlanner {
    enum Decision {
        case plan(FilePlan)
        case failure(String, OrderedDictionary<String, Value>)
    }

    var path: String
    var src: String?
    var facts: FilePathFacts
    var attributes: FileAttributesSpec
    var timestamps: FileTimestamps
    var follow: Bool
    var force: Bool
    var recurse: Bool
    var state: String

    func plan() -> Decision {
        switch state {
        case "absent": return absent()
        case "directory": return directory()
        case "link": return link()
        case "hard": return hard()
        case "touch": return touch()
        default: return file()
        }
    }

    /// The path attributes apply to: a followed symlink's target, else the path.
    var followedTarget: (path: String, state: RemoteFileState?) {
        if follow, facts.state?.kind == .link, let real = facts.realPath { return (real, facts.target) }
        return (path, facts.state)
    }

    func absent() -> Decision {
        var plan = FilePlan(path: path, prevState: facts.prevState, state: "absent")
        guard facts.state != nil else { return .plan(plan) }
        plan.diffBefore["state"] = .string(facts.prevState)
        plan.diffAfter["state"] = "absent"
        plan.changed = true
        plan.program = "rm -rf -- \"$p\" || { echo \"E rmtree failed: $p\"; exit 0; }\n"
        return .plan(plan)
    }

    func file() -> Decision {
        let (target, st) = followedTarget
        let prev = st?.ansibleState ?? "absent"
        guard let st, prev == "file" || prev == "hard" else {
            return .failure(
                "file (\(target)) is \(prev), cannot continue", ["path": .string(target), "state": .string(prev)])
        }
        var plan = FilePlan(path: target, prevState: prev, state: "file")
        plan.finalState = st
        plan.setAttributes(
            attributes, timestamps: timestamps, on: target, state: st, isDirectory: false, umask: facts.umask)
        return .plan(plan)
    }

    func directory() -> Decision {
        let (target, st) = followedTarget
        let prev = st?.ansibleState ?? "absent"
        var plan = FilePlan(path: target, prevState: prev, state: "directory")
        plan.resultPath = target
        guard let st else {
            // Like `mkdir -p`, with the mode and owner on every directory created.
            plan.changed = true
            plan.program =
                ParentDirectories.create(
                    ShellWords.quote(target), mode: attributes.mode, owner: attributes.owner, group: attributes.group,
                    umask: facts.umask) + timestamps.shell(ShellWords.quote(target))
            return .plan(plan)
        }
        guard prev == "directory" else {
            return .failure("\(target) already exists as a \(prev)", ["path": .string(target)])
        }
        plan.finalState = st
        plan.setAttributes(
            attributes, timestamps: timestamps, on: target, state: st, isDirectory: true, umask: facts.umask)
        if recurse {
            for child in facts.children {
                let isLink = child.state.kind == .link
                plan.setAttributes(
                    attributes, timestamps: timestamps, on: child.path, state: child.state,
                    isDirectory: child.state.kind == .directory, umask: facts.umask, noDereference: isLink && !follow)
            }
        }
        return .plan(plan)
    }

    func touch() -> Decision {
        var plan = FilePlan(path: path, key: "dest", prevState: facts.prevState, state: "touch")
        plan.finalState = facts.state
        if facts.state == nil {
            plan.changed = true
            plan.program = ": >> \"$p\" || { echo \"E Error, could not touch target: $p\"; exit 0; }\n"
        }
        plan.setAttributes(
            attributes, timestamps: timestamps, on: path, state: facts.state, isDirectory: false, umask: facts.umask)
        return .plan(plan)
    }

    func link() -> Decision {
        let prev = facts.prevState
        var source = src
        if source == nil, follow, facts.state != nil { source = facts.linkText }
        let info: OrderedDictionary<String, Value> = ["path": .string(path), "src": src.map(Value.string) ?? .null]
        if !force, src != nil, !facts.sourceExists {
            let base = facts.state?.kind == .directory ? path : (path as NSString).deletingLastPathComponent
            return .failure(
                "src file does not exist, use 'force=yes' if you really want to create the link: \(base)/\(src!)",
                info)
        }
        if prev == "directory" {
            if !force { return .failure("refusing to convert from \(prev) to symlink for \(path)", info) }
            if facts.nonEmptyDirectory {
                return .failure("the directory \(path) is not empty, refusing to convert it", info)
            }
        } else if (prev == "file" || prev == "hard") && !force {
            return .failure("refusing to convert from \(prev) to symlink for \(path)", info)
        }
        var plan = FilePlan(path: path, key: "dest", prevState: prev, state: "link")
        plan.fields["src"] = source.map(Value.string) ?? .null
        if prev != "link" {
            guard let source else { return .failure("src is required for creating new symlinks", [:]) }
            plan.changed = true
            plan.program = replace(with: "ln -s -- \(ShellWords.quote(source))", prev: prev)
        } else if let source, let old = facts.linkText, old != source {
            plan.diffBefore["src"] = .string(old)
            plan.diffAfter["src"] = .string(source)
            plan.changed = true
            plan.program = replace(with: "ln -s -- \(ShellWords.quote(source))", prev: prev)
        }
        plan.finalState = facts.state
        if follow {
            // Attributes go to the target; a link to nothing has none to set (Ansible warns).
            if let target = facts.target, let real = facts.realPath, !plan.changed {
                plan.setAttributes(
                    attributes, timestamps: timestamps, on: real, state: target, isDirectory: target.kind == .directory,
                    umask: facts.umask)
            } else if plan.changed, let target = facts.source {
                // The link just made leads to an existing file: ansible-core sets the attributes
                // through it, on the target, in the same run.
                plan.setAttributes(
                    attributes, timestamps: timestamps, on: path, state: target, isDirectory: target.kind == .directory,
                    umask: facts.umask)
            }
        } else {
            plan.setAttributes(
                attributes, timestamps: timestamps, on: path, state: plan.changed ? nil : facts.state,
                isDirectory: false,
                umask: facts.umask, noDereference: true)
        }
        return .plan(plan)
    }

    func hard() -> Decision {
        let prev = facts.prevState
        let info: OrderedDictionary<String, Value> = ["dest": .string(path), "src": src.map(Value.string) ?? .null]
        guard let src else {
            // A file with more than one link and no `src` (a `mode:`-only task on it): Ansible keeps
            // the link as it is and only sets the attributes.
            guard prev == "hard" else { return .failure("src is required for creating new hardlinks", info) }
            var plan = FilePlan(path: path, key: "dest", prevState: prev, state: "hard")
            plan.finalState = facts.state
            plan.setAttributes(
                attributes, timestamps: timestamps, on: path, state: facts.state, isDirectory: false, umask: facts.umask
            )
            return .plan(plan)
        }
        guard facts.sourceExists, let source = facts.source else { return .failure("src does not exist", info) }
        var plan = FilePlan(path: path, key: "dest", prevState: prev, state: "hard")
        plan.fields["src"] = .string(src)
        let sameInode = facts.state.map { $0.inode == source.inode && $0.device == source.device } ?? false
        switch prev {
        case "absent": plan.changed = true
        case "link": plan.changed = facts.linkText != src
        case "hard":
            if !sameInode {
                if !force { return .failure("Cannot link, different hard link exists at destination", info) }
                plan.changed = true
            }
        case "file":
            if !force { return .failure("Cannot link, \(prev) exists at destination", info) }
            plan.changed = true
        default:
            if !force { return .failure("Cannot link, different hard link exists at destination", info) }
            plan.changed = true
        }
        if plan.changed { plan.program = replace(with: "ln -- \(ShellWords.quote(src))", prev: prev) }
        plan.finalState = facts.state
        plan.setAttributes(
            attributes, timestamps: timestamps, on: path, state: plan.changed ? source : facts.state,
            isDirectory: false,
            umask: facts.umask)
        return .plan(plan)
    }

    /// Sh lines putting a new link at `$p` atomically (a temporary name, then `mv -T`), removing an
    /// empty directory first, as Ansible's `os.rmdir` + rename does.
    func replace(with linkCommand: String, prev: String) -> String {
        if prev == "absent" { return "\(linkCommand) \"$p\" || { echo \"E Error while linking: $p\"; exit 0; }\n" }
        return "dn \"$p\"; tmp=\"$dn/.$$.capstan.tmp\"\n"
            + (prev == "directory" ? "rmdir -- \"$p\" || { echo \"E Error while replacing: $p\"; exit 0; }\n" : "")
            + "\(linkCommand) \"$tmp\" && mv -Tf -- \"$tmp\" \"$p\" || { rm -f -- \"$tmp\"; echo \"E Error while replacing: $p\"; exit 0; }\n"
    }
}
