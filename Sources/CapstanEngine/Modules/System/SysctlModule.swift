import CapstanBasics

/// `sysctl` (ansible.posix): keeps a key's line in a sysctl file and, with `reload`, the running
/// value, in one remote program. The file is rewritten as Ansible's module rewrites it (lines
/// trimmed, the key's first line replaced, later duplicates of any key dropped); the running value is
/// read as `sysctl -e -n` prints it, set with `sysctl -w` (`sysctl_set`) and reloaded with `sysctl -p FILE`.
public struct SysctlModule: Module {
    public static let name = "sysctl"
    public static let spec = ArgumentSpec([
        ArgumentDefinition("name", required: true, aliases: ["key"]),
        ArgumentDefinition("value", aliases: ["val"]),
        ArgumentDefinition("state", choices: ["present", "absent"], default: "present"),
        ArgumentDefinition("reload", .bool, default: true), ArgumentDefinition("sysctl_set", .bool, default: false),
        ArgumentDefinition("ignoreerrors", .bool, default: false),
        ArgumentDefinition("sysctl_file", .path, default: "/etc/sysctl.conf"),
    ])

    let key: String
    let value: String
    let present: Bool
    let reload: Bool
    let setRunning: Bool
    let ignoreErrors: Bool
    let file: String

    public init(arguments: ModuleArguments) throws {
        func fail(_ message: String) -> ModuleArgumentError { ModuleArgumentError(module: Self.name, message: message) }
        present = arguments.string("state") == "present"
        if present && arguments["value"] == nil {
            throw fail("state is present but all of the following are missing: value")
        }
        key = (arguments.string("name") ?? "").trimmingWhitespace()
        if key.isEmpty { throw fail("name cannot be blank") }
        if present && arguments.string("value") == "" { throw fail("value cannot be blank") }
        value = Self.normalised(arguments.string("value"))
        reload = arguments.bool("reload")
        setRunning = arguments.bool("sysctl_set")
        ignoreErrors = arguments.bool("ignoreerrors")
        file = arguments.string("sysctl_file") ?? "/etc/sysctl.conf"
    }

    /// Ansible's `_parse_value`: boolean words become `1`/`0`, anything else is trimmed.
    static func normalised(_ value: String?) -> String {
        guard let value else { return "" }
        if ArgumentConversion.trueWords.contains(value.lowercased()) { return "1" }
        if ArgumentConversion.falseWords.contains(value.lowercased()) { return "0" }
        return value.trimmingWhitespace()
    }

    /// The `/proc/sys` file `sysctl` reads for `key` (dots are directory separators, a slash stands for
    /// a dot, as procps swaps them), or nil for a key that does not name one plainly.
    static func procFile(_ key: String) -> String? {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        let plain = parts.allSatisfy { part in
            !part.isEmpty && part != "/" && part.allSatisfy { !$0.isWhitespace && $0 != "=" && $0 != "*" }
        }
        guard plain, !key.contains(".."), !key.hasPrefix("/") else { return nil }
        return "/proc/sys/" + parts.map { $0.replacingOccurrences(of: "/", with: ".") }.joined(separator: "/")
    }

    public func run(in context: ModuleContext) async throws -> ModuleOutcome {
        let report = try await RemoteProgram.run(
            [
                "name": key, "value": value, "state": present ? "present" : "absent", "file": file,
                "reload": RemoteProgram.flag(reload), "set": RemoteProgram.flag(setRunning),
                "ignore": ignoreErrors ? "-e" : "", "check": RemoteProgram.flag(context.checkMode),
                "procfile": Self.procFile(key) ?? "", "ws": SysctlProgram.whitespace,
            ], SysctlProgram.body, in: context)
        guard report.succeeded else { return .failed(report.stderr) }
        return ModuleOutcome(status: report.flag("changed") ? .changed : .ok)
    }
}

/// The sh program behind `sysctl`. Inputs: name, value, state, file, reload, set, ignore (`-e` or
/// empty), check, procfile (the key's `/proc/sys` file or empty), ws (what awk's trim removes).
/// Reports `changed=0|1`; fails with Ansible's messages.
enum SysctlProgram {
    /// The characters the file scan trims from keys and values: awk's `[ \t\r\n\f\v]` without the
    /// line break, which never occurs inside a line.
    static let whitespace = " \t\r\u{0C}\u{0B}"

    static let body = #"""
        # The temporary file is made only when something is written or run (a rerun makes none).
        tmp=
        mktmp() {
            [ -n "$tmp" ] && return 0
            tmp=$(mktemp) || die "cannot create a temporary file"
            trap 'rm -f "$tmp" "$tmp.err"' EXIT
        }
        src=/dev/null
        [ -f "$file" ] && src=$file
        # The running value: the shell reads the key's /proc/sys file itself (a process less); `sysctl`
        # answers when there is no such file or it reads as nothing (write-only, unreadable).
        proc= l= proc_ok=0
        if [ -n "$procfile" ] && [ -f "$procfile" ]; then
            { while IFS= read -r l; do proc="$proc$l
        "; done; proc="$proc$l"; } 2>/dev/null <"$procfile" && [ -n "$proc" ] && proc_ok=1
        fi
        if [ "$proc_ok" = 0 ]; then proc_ok=1; proc=$(sysctl -e -n "$name" 2>/dev/null) || proc_ok=0; fi
        # Prints 1 and the file's value, or 0; with $tmp set, writes the new file there. (Text in a
        # variable, not a function: `$(function)` costs a process more than `$(awk ...)`.)
        scan='
            BEGIN { k = ENVIRON["name"]; v = ENVIRON["value"]; out = ENVIRON["tmp"] }
            function trim(s) { sub(/^[ \t\r\n\f\v]+/, "", s); sub(/[ \t\r\n\f\v]+$/, "", s); return s }
            function emit(s) { if (out != "") print s > out }
            {
                line = trim($0); c = substr(line, 1, 1); i = index(line, "=")
                if (line == "" || c == "#" || c == ";" || i == 0) { emit(line); next }
                key = trim(substr(line, 1, i - 1)); val = trim(substr(line, i + 1))
                if (key == k) { found = 1; fv = val }
                if (key in seen) next
                seen[key] = 1
                if (key != k) emit(key "=" val)
                else if (st == "present") emit(k "=" v)
            }
            END {
                if (st == "present" && !(k in seen)) emit(k "=" v)
                if (out != "") close(out)
                if (found) printf "1%s", fv; else printf "0"
            }'
        # The key's value in the file: a short file is read by the shell (awk's trim and split, the last
        # line for the key wins); past `budget` bytes awk is cheaper than the shell's byte-wise reads.
        trim() { t=${1#"${1%%[!$ws]*}"}; t=${t%"${t##*[!$ws]}"}; }
        infile=0 fileval= n=0 budget=512
        if [ "$src" != /dev/null ]; then
            while IFS= read -r line || [ -n "$line" ]; do
                n=$((n + ${#line} + 1)); [ "$n" -gt "$budget" ] && break
                trim "$line"; line=$t
                case $line in '' | '#'* | ';'*) continue ;; *=*) ;; *) continue ;; esac
                trim "${line%%=*}"; [ "$t" = "$name" ] || continue
                trim "${line#*=}"; infile=1; fileval=$t
            done <"$src" || die "Failed to open $file"
        fi
        if [ "$n" -gt "$budget" ]; then
            found=$(name=$name value=$value tmp= awk -v st="$state" "$scan" "$src") || die "Failed to open $file"
            infile=${found%"${found#?}"}
            fileval=${found#?}
        fi
        # Equal once runs of whitespace are one space (`set --` splits without a process or a glob).
        words() { set -f; set -- $1; w="$*"; set +f; }
        same() { words "$1"; a=$w; words "$2"; [ "$a" = "$w" ]; }
        changed=0 write=0 setproc=0
        if [ "$infile" = 0 ] && [ "$state" = present ]; then changed=1 write=1
        elif [ "$infile" = 0 ]; then :
        elif [ -n "$fileval" ] && [ "$state" = absent ]; then changed=1 write=1
        elif [ "$fileval" != "$value" ]; then changed=1 write=1
        elif [ "$reload" = 1 ]; then
            if [ "$proc_ok" = 0 ] || ! same "$proc" "$value"; then changed=1; fi
        fi
        if [ "$set" = 1 ] && [ "$state" = present ]; then
            if [ "$proc_ok" = 0 ]; then changed=1
            elif ! same "$proc" "$value"; then changed=1 setproc=1; fi
        fi
        say changed "$changed"
        [ "$check" = 1 ] && exit 0
        [ "$changed" = 1 ] || exit 0
        mktmp
        if [ "$write" = 1 ]; then
            name=$name value=$value tmp=$tmp awk -v st="$state" "$scan" "$src" >/dev/null || die "Failed to open $file"
        fi
        failed_stderr() { grep -Eq '^sysctl: setting key "[^"]+": (Invalid argument|Read-only file system)$'; }
        if [ "$setproc" = 1 ]; then
            out=$(sysctl $ignore -w "$name=$value" 2>"$tmp.err"); rc=$?
            if [ "$rc" != 0 ] || failed_stderr <"$tmp.err"; then
                msg="$out$(cat "$tmp.err")"; rm -f "$tmp.err"; die "setting $name failed: $msg"
            fi
        fi
        if [ "$write" = 1 ]; then
            new=$(mktemp "$(dirname -- "$file")/.capstan_sysctl_XXXXXX") || die "Failed to write to file $file"
            cat "$tmp" >"$new" || { rm -f "$new"; die "Failed to write to file $new"; }
            if [ -e "$file" ]; then
                chmod --reference="$file" "$new" && chown --reference="$file" "$new"
            else
                chmod 0644 "$new"
            fi
            mv -f "$new" "$file" || { rm -f "$new"; die "Failed to write to file $file"; }
        fi
        if [ "$changed" = 1 ] && [ "$reload" = 1 ]; then
            out=$(sysctl $ignore -p "$file" 2>"$tmp.err"); rc=$?
            if [ "$rc" != 0 ] || failed_stderr <"$tmp.err"; then
                msg="$out$(cat "$tmp.err")"; rm -f "$tmp.err"; die "Failed to reload sysctl: $msg"
            fi
        fi
        """#
}
