/// A small deterministic random number generator (SplitMix64): the same seed gives the same cases on
/// every machine and Swift version, which `SystemRandomNumberGenerator` would not.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Turns a seed input into a mutated one: byte edits, splices from other seeds of the same kind,
/// syntax tokens of the input's language, and generators that amplify (repeated lines, deep nesting,
/// alias chains, wide host ranges) since those find the crashes and blow-ups byte edits never reach.
struct FuzzMutator {
    var random: SplitMix64
    /// Tokens of the input's language, inserted whole.
    let tokens: [String]
    /// Other inputs of the same kind, for splices.
    let donors: [[UInt8]]
    /// Whether generators go to the largest sizes. Templates then nest thousands deep and loop millions
    /// of times, which a debug build renders slower than the harness's time limit (no longer a crash:
    /// Tests/fuzz/README.md), so template cases stay smaller unless `CAPSTAN_FUZZ_TEMPLATE_STRESS=1`.
    var stress = true

    static let yamlTokens = [
        "&a ", "*a", "<<: *a\n", "[", "]", "{", "}", "- ", ": ", "? ", "!!int ", "!!str ", "!!map ", "!unsafe ",
        "|\n", ">-\n", "---\n", "...\n", "\"", "'", "\t", "#", "%YAML 1.1\n", ",", "\n  ", "~", ".inf", "-.inf",
        ".nan", "0x7fffffffffffffff", "99999999999999999999999", "1e999", "- include_tasks: book.yml\n",
        "- import_tasks: book.yml\n", "block:\n", "loop: \"{{ range(100000) }}\"\n", "when: ", "vars:\n",
        "serial: 1e300\n", "tags: [a, ", "hosts: all[0:9223372036854775807]\n",
    ]
    static let iniTokens = [
        "[", "]", ":children]\n", ":vars]\n", "=", "[0:9]", "[a:z]", "[0:99999999999]", "[0:9:0]", "[9:0]", "[a:Z]",
        "\"", "'", "\\", "#", ";", "{", "}", "(", ")", ",", ":", " ", "\n", "\r", "\t", "x=[", "x={", "x=(",
        "ansible_group_priority=1e999\n", "ansible_port=99999999999999999999\n", "0x", "1_000", "'''", "\"\"\"",
        "\\x", "\\u12", "[all:children]\n", "[ungrouped]\n", "b'", "r'", "True", "None", "...", "-",
    ]
    static let jinjaTokens = [
        "{{", "}}", "{%", "%}", "{#", "#}", "|", "(", ")", "[", "]", "~", "**", "*", "%", "//", "range(", "lookup(",
        "| default(", "|int", "|string", "|join", "|replace(", "|format(", "'", "\"", "loop.", "9999999999999999999999",
        "-1", "1e308", "x", "{% for i in range(10) %}", "{% endfor %}", "{% if x %}", "{% endif %}",
        "{% set x = ", "{% macro m() %}", "{% endmacro %}", "{{ m() }}", "{% raw %}", "{% endraw %}", ".__class__",
        "[::-1]", "[0]", "'%s' % ", ".format(", "-", "\n", " ",
    ]

    mutating func int(_ upper: Int) -> Int { upper <= 0 ? 0 : Int(random.next() % UInt64(upper)) }

    /// One to four mutations of `input`.
    mutating func mutate(_ input: [UInt8], kind: FuzzKind) -> [UInt8] {
        var bytes = input
        for _ in 0...int(4) {
            bytes = mutateOnce(bytes, kind: kind)
            // Keep cases small enough to write and run quickly; amplifiers work from a few bytes.
            if bytes.count > 4_000_000 { bytes = Array(bytes.prefix(4_000_000)) }
        }
        return bytes
    }

    private mutating func mutateOnce(_ b: [UInt8], kind: FuzzKind) -> [UInt8] {
        var bytes = b
        let at = int(bytes.count + 1)
        switch int(12) {
        case 0:
            if !bytes.isEmpty { bytes[int(bytes.count)] ^= UInt8(1 << int(8)) }
        case 1:
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
        case 2:
            let end = min(bytes.count, at + int(64))
            bytes.removeSubrange(at..<end)
        case 3, 4:
            bytes.insert(contentsOf: Array(tokens[int(tokens.count)].utf8), at: at)
        case 5:
            // Duplicate a chunk several times (amplification).
            let end = min(bytes.count, at + 1 + int(200))
            let chunk = Array(bytes[at..<end])
            for _ in 0..<(1 + int(16)) { bytes.insert(contentsOf: chunk, at: at) }
        case 6:
            if !donors.isEmpty, case let donor = donors[int(donors.count)], !donor.isEmpty {
                let from = int(donor.count)
                let end = min(donor.count, from + 1 + int(400))
                bytes.insert(contentsOf: donor[from..<end], at: at)
            }
        case 7:
            bytes = lineDuplication(bytes)
        case 8:
            bytes.insert(contentsOf: nesting(kind), at: at)
        case 9:
            bytes = amplifier(bytes, kind: kind)
        case 10:
            // Swap two lines.
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            if lines.count > 1 { lines.swapAt(int(lines.count), int(lines.count)) }
            bytes = Array(lines.joined(separator: [0x0A]))
        default:
            // Replace a digit run with an extreme number.
            let extremes = ["0", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e400"]
            if let i = bytes.indices.dropFirst(at).first(where: { (0x30...0x39).contains(bytes[$0]) }) {
                var j = i
                while j < bytes.count, (0x30...0x39).contains(bytes[j]) { j += 1 }
                bytes.replaceSubrange(i..<j, with: Array(extremes[int(extremes.count)].utf8))
            }
        }
        return bytes
    }

    /// One line repeated many times in place.
    private mutating func lineDuplication(_ bytes: [UInt8]) -> [UInt8] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        guard !lines.isEmpty else { return bytes }
        let i = int(lines.count)
        let copies = [2, 10, 100, 1000, 10000][int(stress ? 5 : 3)]
        lines.insert(contentsOf: Array(repeating: lines[i], count: copies), at: i)
        return Array(lines.joined(separator: [0x0A]))
    }

    /// Deep nesting in the input's syntax: brackets, braces, Jinja parentheses, indented blocks.
    private mutating func nesting(_ kind: FuzzKind) -> [UInt8] {
        let depth = [10, 100, 199, 201, 999, 1001, 5000, 70000][int(stress ? 8 : 4)]
        let unit: (String, String)
        switch (kind, int(3)) {
        case (.template, 0): unit = ("(", ")")
        case (.template, 1): unit = ("[", "]")
        case (.template, _): unit = ("{% if 1 %}", "{% endif %}")
        case (.inventory, 0): unit = ("(", ")")
        case (_, 0): unit = ("[", "]")
        case (_, 1): unit = ("{a: ", "}")
        default: unit = ("[", "")
        }
        let closed = int(2) == 0
        var text = String(repeating: unit.0, count: depth)
        if closed { text += String(repeating: unit.1, count: depth) }
        return Array(text.utf8)
    }

    /// Generators that multiply, appended where they parse: wide host ranges and alias chains for
    /// inventories, an alias chain in a play's vars for playbooks, loops and repetition for templates.
    private mutating func amplifier(_ bytes: [UInt8], kind: FuzzKind) -> [UInt8] {
        let text: String
        switch kind {
        case .inventory where int(2) == 0:
            let ranges = ["[0:99999999999]", "[0:999][0:999]", "[a:z][a:z][a:z][a:z]", "[0:9]", "[00:99999999999:3]"]
            text = "\nnode-\(ranges[int(ranges.count)]) x=1\n"
        case .inventory:
            text = "\nbomb:\n  vars:\n" + aliasChain(indent: "    ") + "  hosts:\n    h1:\n"
        case .template:
            let loops =
                stress
                ? [
                    "{% for i in range(100000000) %}x{% endfor %}", "{{ 'x' * 100000000 }}", "{{ 10 ** 100000 }}",
                    "{% for i in range(1000) %}{% for j in range(1000) %}{{ i }}{% endfor %}{% endfor %}",
                ]
                : [
                    "{% for i in range(100000000) %}x{% endfor %}", "{{ 'x' * 100000 }}", "{{ 10 ** 100000 }}",
                    "{% for i in range(100) %}{% for j in range(100) %}{{ i }}{% endfor %}{% endfor %}",
                ]
            text = loops[int(loops.count)]
        case .syntax, .tasks, .play:
            text =
                "\n- hosts: localhost\n  gather_facts: false\n  vars:\n" + aliasChain(indent: "    ")
                + "  tasks:\n    - debug: var=l0\n"
        }
        return bytes + Array(text.utf8)
    }

    /// `levels` anchored lists of `width` aliases to the one before: width^levels nodes once expanded.
    private mutating func aliasChain(indent: String) -> String {
        let width = 2 + int(9)
        let levels = 2 + int(8)
        var lines = ["\(indent)l0: &l0 [x]"]
        for level in 1...levels {
            let refs = Array(repeating: "*l\(level - 1)", count: width).joined(separator: ", ")
            lines.append("\(indent)l\(level): &l\(level) [\(refs)]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
