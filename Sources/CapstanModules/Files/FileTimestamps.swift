import Foundation

/// `modification_time` / `access_time` of the `file` module: `preserve` (leave), `now`, or a time
/// in `modification_time_format` (Python strftime; `%Y%m%d%H%M.%S` by default, which is `touch -t`'s
/// format). Unset means `now` for `state=touch` and `preserve` otherwise, as Ansible decides.
struct FileTimestamps: Sendable {
    /// One of the two times.
    enum Setting: Sendable, Equatable {
        case preserve, now
        case at(Date)
    }

    var modification: Setting
    var access: Setting

    /// Reads the four arguments for `state`; a time not in the format is an argument error.
    init(arguments: ModuleArguments, state: String) throws {
        func read(_ name: String, format: String) throws -> Setting {
            guard let text = arguments.string(name) else { return state == "touch" ? .now : .preserve }
            if text == "preserve" { return .preserve }
            if text == "now" { return .now }
            guard let date = Self.parse(text, pythonFormat: format) else {
                throw ModuleArgumentError(
                    module: "file", message: "Error while obtaining timestamp for time \(text) using format \(format)")
            }
            return .at(date)
        }
        modification = try read(
            "modification_time", format: arguments.string("modification_time_format") ?? "%Y%m%d%H%M.%S")
        access = try read("access_time", format: arguments.string("access_time_format") ?? "%Y%m%d%H%M.%S")
    }

    /// Parses `text` with a Python strftime format (the common directives), in local time.
    static func parse(_ text: String, pythonFormat: String) -> Date? {
        let map: [Character: String] = [
            "Y": "yyyy", "m": "MM", "d": "dd", "H": "HH", "M": "mm", "S": "ss", "y": "yy", "%": "%",
        ]
        var pattern = ""
        var chars = Substring(pythonFormat)
        while let c = chars.popFirst() {
            if c == "%", let d = chars.popFirst() {
                guard let mapped = map[d] else { return nil }
                pattern += mapped
            } else if c.isLetter {
                pattern += "'\(c)'"
            } else {
                pattern.append(c)
            }
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = pattern
        return f.date(from: text)
    }

    /// Whether applying these settings changes `state`'s times (`now` always does).
    func changes(_ state: RemoteFileState) -> Bool {
        func differs(_ s: Setting, _ current: Double) -> Bool {
            switch s {
            case .preserve: return false
            case .now: return true
            case .at(let d): return d.timeIntervalSince1970 != current
            }
        }
        return differs(modification, state.mtime) || differs(access, state.atime)
    }

    /// Sh lines setting the times of `pathExpression` (`touch -m` / `-a`; `-h` for a symlink itself).
    func shell(_ pathExpression: String) -> String {
        func stamp(_ s: Setting, _ flag: String) -> String {
            switch s {
            case .preserve: return ""
            case .now: return "touch -c \(flag) -- \(pathExpression) || { echo 'E could not set the times'; exit 0; }\n"
            case .at(let d):
                return
                    "touch -c \(flag) -d @\(Int(d.timeIntervalSince1970)) -- \(pathExpression) || { echo 'E could not set the times'; exit 0; }\n"
            }
        }
        return stamp(modification, "-m") + stamp(access, "-a")
    }
}
