import CapstanBasics

/// A `mode:` argument as Ansible reads it: an int is the mode number itself (so an unquoted YAML
/// `644` is decimal 644 = `0o1204`, which Ansible accepts and warns about), a string is octal digits
/// (`"644"`, `"0644"`) or a symbolic mode (`u=rw,g=r,o=r`, `a+x`, `=r`, `u+rwx,g-w`) applied to the
/// file's current mode, as `AnsibleModule._symbolic_mode_to_octal` does.
public enum FileMode: Sendable, Equatable {
    /// A fixed mode number.
    case absolute(UInt32)
    /// Clauses applied to the current mode.
    case symbolic(String)

    /// Why a mode argument is refused; the messages are Ansible's.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    static let permissionBits: UInt32 = 0o7777

    /// Reads a `mode:` value: an int, octal digits, or a symbolic mode checked for its syntax.
    public static func parse(_ value: Value) throws -> FileMode {
        switch value {
        case .int(let i):
            guard i >= 0, i <= Int(UInt32.max) else {
                throw ParseError(description: "mode must be in octal or symbolic form")
            }
            return .absolute(UInt32(i))
        case .string(let s):
            if let n = UInt32(s, radix: 8) {
                guard n & ~permissionBits == 0 else {
                    throw ParseError(description: "Invalid mode supplied, only permission info is allowed")
                }
                return .absolute(n)
            }
            // The syntax is checked now (against a regular file) so that bad modes fail before any work.
            guard (try? ModeParser.apply(s, to: 0, isDirectory: false, umask: 0o022)) != nil else {
                throw ParseError(description: "mode must be in octal or symbolic form")
            }
            return .symbolic(s)
        default:
            throw ParseError(description: "mode must be in octal or symbolic form")
        }
    }

    /// The mode to set on a file whose permission bits are `current`.
    public func resolve(current: UInt32, isDirectory: Bool, umask: UInt32) -> UInt32 {
        switch self {
        case .absolute(let m): return m
        case .symbolic(let s):
            return (try? ModeParser.apply(s, to: current, isDirectory: isDirectory, umask: umask)) ?? current
        }
    }
}

/// Applies symbolic modes (`chmod`'s `[ugoa]*[-+=][rwxXstugo]*`, comma-separated) to a mode number
/// with the rules of Ansible's `_symbolic_mode_to_octal` (which differ from chmod's in small ways:
/// `X` looks at the mode as changed so far, an empty who-list masks with the node's umask).
public enum ModeParser {
    /// The mode after applying `symbolic` to `mode` (permission bits only).
    public static func apply(_ symbolic: String, to mode: UInt32, isDirectory: Bool, umask: UInt32) throws -> UInt32 {
        var newMode = mode & FileMode.permissionBits
        for clause in symbolic.split(separator: ",", omittingEmptySubsequences: false) {
            let bad = FileMode.ParseError(description: "bad symbolic permission for mode: \(clause)")
            var parts: [Substring] = []
            var operators: [Character] = []
            var start = clause.startIndex
            for i in clause.indices where "+-=".contains(clause[i]) {
                parts.append(clause[start..<i])
                operators.append(clause[i])
                start = clause.index(after: i)
            }
            parts.append(clause[start...])
            var users = String(parts.removeFirst())
            let useUmask = users.isEmpty
            if users.isEmpty || users == "a" { users = "ugo" }
            guard users.allSatisfy({ "ugo".contains($0) }) else { throw bad }
            for (index, perms) in parts.enumerated() {
                guard perms.allSatisfy({ "rwxXstugo".contains($0) }) else { throw bad }
                for user in users {
                    let bits = perms.reduce(UInt32(0)) {
                        $0
                            | bitsFor(
                                $1, user: user, prev: newMode, isDirectory: isDirectory, useUmask: useUmask,
                                umask: umask)
                    }
                    newMode = applyOperator(operators[index], user: user, bits: bits, to: newMode)
                }
            }
        }
        return newMode
    }

    private static func applyOperator(_ op: Character, user: Character, bits: UInt32, to mode: UInt32) -> UInt32 {
        switch op {
        case "=":
            let mask: UInt32 = user == "u" ? 0o4700 : user == "g" ? 0o2070 : 0o1007
            return (mode & (mask ^ FileMode.permissionBits)) | bits
        case "+": return mode | bits
        default: return mode - (mode & bits)
        }
    }

    private static func bitsFor(
        _ perm: Character, user: Character, prev: UInt32, isDirectory: Bool, useUmask: Bool, umask: UInt32
    ) -> UInt32 {
        let shift: UInt32 = user == "u" ? 6 : user == "g" ? 3 : 0
        let reverseUmask = umask ^ FileMode.permissionBits
        func masked(_ bit: UInt32) -> UInt32 { useUmask ? reverseUmask & bit : bit }
        // The u/g/o triplet of `prev`, moved to this user's position.
        func copy(_ from: UInt32) -> UInt32 { ((prev >> from) & 0o7) << shift }
        switch perm {
        case "r": return masked(0o4 << shift)
        case "w": return masked(0o2 << shift)
        case "x": return masked(0o1 << shift)
        case "X": return (isDirectory || prev & 0o111 != 0) ? 0o1 << shift : 0
        case "s": return user == "u" ? 0o4000 : user == "g" ? 0o2000 : 0
        case "t": return user == "o" ? 0o1000 : 0
        case "u": return copy(6)
        case "g": return copy(3)
        default: return copy(0)
        }
    }

    /// Ansible's way of showing a mode: `0644`, at least four digits.
    public static func format(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return "0" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
