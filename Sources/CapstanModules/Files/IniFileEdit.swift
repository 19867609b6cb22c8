/// community.general's `ini_file` algorithm (`do_ini`), step for step on the same list of lines, so
/// that its quirks come out the same: a fake first section holds options outside any section, a
/// missing final line break counts as a change, a removed top-level "section" takes the next line.
struct IniFileEdit: Sendable {
    /// A condition of `section_has_values`: the option, and the values one of which it must have
    /// (any value when empty).
    struct Condition: Sendable, Equatable {
        var option: String
        var values: [String]
    }

    var section: String?
    var sectionHasValues: [Condition]?
    var option: String?
    /// `value` or `values` (a single `value` becomes a list of one).
    var values: [String]
    var present = true
    var exclusive = true
    var noExtraSpaces = false
    var ignoreSpaces = false
    var allowNoValue = false
    var modifyInactiveOption = true

    /// What the edit did: the new lines, whether they changed, and Ansible's `msg`.
    struct Result: Sendable, Equatable {
        var lines: [String]
        var changed: Bool
        var msg: String
    }

    /// Where Ansible's module would stop with a Python exception (an option-less task that still
    /// matches options): the module fails without a message of its own.
    struct Crash: Error, CustomStringConvertible {
        var description: String { "MODULE FAILURE: ini_file matched a line against a missing option" }
    }

    /// The name Ansible gives the fake section at the top (a commit hash no file uses).
    static let fakeSection = "ad01e11446efb704fcdbdb21f2c43757423d91c5"

    /// The edit applied to `lines` (each ending with `\n`, as Python's text-mode `readlines()` gives them).
    func apply(_ original: [String]) throws -> Result {
        var values: [String] = []
        for v in self.values where !values.contains(v) { values.append(v) }
        var iniLines = original
        var changed = false
        if iniLines.isEmpty { iniLines.append("\n") }
        if let last = iniLines.last, !last.hasSuffix("\n") {
            iniLines[iniLines.count - 1] += "\n"
            changed = true
        }
        iniLines.insert("[\(Self.fakeSection)]", at: 0)
        iniLines.append("[")
        let section = (self.section ?? "").isEmpty ? Self.fakeSection : self.section!
        var withinSection = false
        var sectionStart = 0
        var sectionEnd = 0
        var msg = "OK"
        let format: (String, String) -> String = { option, value in
            noExtraSpaces ? "\(option)=\(value)\n" : "\(option) = \(value)\n"
        }
        var optionNoValuePresent = false
        let sectionName = Self.pythonStrip(section)
        for (index, line) in iniLines.enumerated() {
            if withinSection && line.hasPrefix("[") {
                if hasValues(Array(iniLines[sectionStart..<index])) {
                    sectionEnd = index
                    break
                }
                withinSection = false
                sectionStart = 0
                sectionEnd = 0
            }
            if Self.isHeader(line, of: sectionName) {
                withinSection = true
                sectionStart = index
            }
        }
        let before = Array(iniLines[0..<sectionStart])
        var sectionLines = Array(iniLines[sectionStart..<sectionEnd])
        let after = Array(iniLines[sectionEnd...])
        var changedLines = [Bool](repeating: false, count: sectionLines.count)
        let active = !modifyInactiveOption
        func matches(_ line: String) throws -> IniOptionMatch? {
            guard let option else { throw Crash() }
            return IniOptionMatch(option: option, line: line, activeOnly: active)
        }
        func update(_ index: Int, _ newline: String) {
            var optionChanged: Bool?
            if ignoreSpaces, let option, let old = IniOptionMatch(option: option, line: sectionLines[index]),
                old.comment.isEmpty
            {
                optionChanged = old.value != IniOptionMatch(option: option, line: newline)?.value
            }
            let differs = optionChanged ?? (sectionLines[index] != newline)
            if differs {
                sectionLines[index] = newline
                changed = true
                msg = "option changed"
            }
            changedLines[index] = true
        }

        if present, let option, !option.isEmpty {
            for index in sectionLines.indices {
                guard let match = try matches(sectionLines[index]) else { continue }
                if !values.isEmpty && values.contains(match.value) {
                    let matched = match.value
                    if matched.isEmpty && allowNoValue {
                        update(index, option + "\n")
                        optionNoValuePresent = true
                    } else {
                        update(index, format(option, matched))
                    }
                    values.remove(at: values.firstIndex(of: matched)!)
                } else if values.isEmpty && allowNoValue {
                    update(index, option + "\n")
                    optionNoValuePresent = true
                    break
                }
            }
        }
        if present && exclusive && !allowNoValue {
            if !values.isEmpty {
                for index in sectionLines.indices where !changedLines[index] {
                    guard try matches(sectionLines[index]) != nil else { continue }
                    update(index, format(option ?? "None", values.removeFirst()))
                    if values.isEmpty { break }
                }
            }
            var index = sectionLines.count - 1
            while index > 0 {
                if !changedLines[index], try matches(sectionLines[index]) != nil {
                    sectionLines.remove(at: index)
                    changedLines.remove(at: index)
                    changed = true
                    msg = "option changed"
                }
                index -= 1
            }
        }
        if present {
            var index = sectionLines.count
            while index > 0 {
                if !Self.isBlankOrComment(sectionLines[index - 1]) {
                    if let option, !option.isEmpty, !values.isEmpty {
                        for element in values.reversed() {
                            sectionLines.insert(format(option, element), at: index)
                            msg = "option added"
                            changed = true
                        }
                    } else if let option, !option.isEmpty, values.isEmpty, allowNoValue, !optionNoValuePresent {
                        sectionLines.insert(option + "\n", at: index)
                        msg = "option added"
                        changed = true
                    }
                    break
                }
                index -= 1
            }
        }
        if !present {
            if let option, !option.isEmpty {
                if exclusive {
                    let kept = sectionLines.filter { IniOptionMatch(option: option, line: $0, activeOnly: true) == nil }
                    if kept != sectionLines {
                        changed = true
                        msg = "option changed"
                        sectionLines = kept
                    }
                } else if !values.isEmpty {
                    let kept = sectionLines.filter { line in
                        guard let m = IniOptionMatch(option: option, line: line, activeOnly: true) else { return true }
                        return !values.contains(m.value)
                    }
                    if kept != sectionLines {
                        changed = true
                        msg = "option changed"
                        sectionLines = kept
                    }
                }
            } else if !sectionLines.isEmpty {
                sectionLines = []
                msg = "section removed"
                changed = true
            }
        }
        iniLines = before + sectionLines + after
        // `del ini_lines[0]` (an error on an empty list) and `del ini_lines[-1:]` (none).
        guard !iniLines.isEmpty else { throw Crash() }
        iniLines.removeFirst()
        if !iniLines.isEmpty { iniLines.removeLast() }
        if !withinSection && present {
            iniLines.append("[\(section)]\n")
            msg = "section and option added"
            if let conditions = sectionHasValues {
                for condition in conditions {
                    if condition.option != option {
                        if !condition.values.isEmpty {
                            for value in condition.values { iniLines.append(format(condition.option, value)) }
                        } else if allowNoValue {
                            iniLines.append(condition.option + "\n")
                        }
                    } else if !exclusive {
                        for value in condition.values where !values.contains(value) { values.append(value) }
                    }
                }
            }
            if let option, !option.isEmpty, !values.isEmpty {
                for value in values { iniLines.append(format(option, value)) }
            } else if let option, !option.isEmpty, values.isEmpty, allowNoValue {
                iniLines.append(option + "\n")
            } else {
                msg = "only section added"
            }
            changed = true
        }
        return Result(lines: iniLines, changed: changed, msg: msg)
    }

    /// `check_section_has_values`: every condition's option appears (commented or not) with one of
    /// its values, or with any value when it lists none.
    func hasValues(_ sectionLines: [String]) -> Bool {
        guard let conditions = sectionHasValues else { return true }
        return conditions.allSatisfy { condition in
            sectionLines.contains { line in
                guard let m = IniOptionMatch(option: condition.option, line: line) else { return false }
                return condition.values.isEmpty || condition.values.contains(m.value)
            }
        }
    }

    /// `^\[\s*NAME\s*]` matched at the line's start (`\s` as Python's Unicode whitespace).
    static func isHeader(_ line: String, of name: String) -> Bool {
        var rest = Substring(line)
        guard rest.popFirst() == "[" else { return false }
        rest = rest.drop(while: isPythonSpace)
        guard rest.hasPrefix(name) else { return false }
        rest = rest.dropFirst(name.count).drop(while: isPythonSpace)
        return rest.first == "]"
    }

    /// `^[ \t]*([#;].*)?$`: a blank line or a comment (`$` also before a final `\n`).
    static func isBlankOrComment(_ line: String) -> Bool {
        var body = Substring(line)
        if body.hasSuffix("\n") { body = body.dropLast() }
        let rest = body.drop { $0 == " " || $0 == "\t" }
        guard let first = rest.first else { return true }
        return (first == "#" || first == ";") && !rest.contains("\n")
    }

    /// Python's `str.isspace` for one character.
    static func isPythonSpace(_ c: Character) -> Bool {
        c.isWhitespace || c == "\u{1C}" || c == "\u{1D}" || c == "\u{1E}" || c == "\u{1F}"
    }

    /// Python's `str.strip()`.
    static func pythonStrip(_ s: String) -> String {
        let trimmed = s.drop(while: isPythonSpace)
        return String(trimmed.reversed().drop(while: isPythonSpace).reversed())
    }
}

/// Ansible's `match_opt` (and `match_active_opt`): `( |\t)*([#;]?)( |\t)*(OPTION)( |\t)*(=|$)( |\t)*(.*)`
/// matched at the start of a line; `comment` is group 2, `value` group 8.
struct IniOptionMatch: Equatable {
    var comment: String
    var value: String

    /// Nil when the line does not match. `activeOnly` leaves out the comment marker (`match_active_opt`).
    init?(option: String, line: String, activeOnly: Bool = false) {
        let chars = Array(line)
        let opt = Array(option)
        func isBlank(_ i: Int) -> Bool { i < chars.count && (chars[i] == " " || chars[i] == "\t") }
        func blanks(from i: Int) -> Int {
            var j = i
            while isBlank(j) { j += 1 }
            return j - i
        }
        // `$`: the end, or just before a final line break.
        func atEnd(_ i: Int) -> Bool { i == chars.count || (i == chars.count - 1 && chars[i] == "\n") }
        func tail(from start: Int) -> String? {
            // The option, blanks, `=` or the end, blanks, the rest up to a line break.
            guard start + opt.count <= chars.count, Array(chars[start..<start + opt.count]) == opt else { return nil }
            let afterOption = start + opt.count
            var n = blanks(from: afterOption)
            while n >= 0 {
                let p = afterOption + n
                var valueStart: Int?
                if p < chars.count && chars[p] == "=" {
                    valueStart = p + 1
                } else if atEnd(p) {
                    valueStart = p
                }
                if var v = valueStart {
                    v += blanks(from: v)
                    var end = v
                    while end < chars.count && chars[end] != "\n" { end += 1 }
                    return String(chars[v..<end])
                }
                n -= 1
            }
            return nil
        }
        let lead = blanks(from: 0)
        // The regex engine's order: most leading blanks first, the comment marker before none.
        for first in stride(from: lead, through: 0, by: -1) {
            var markers: [Int] = []
            if !activeOnly && first < chars.count && (chars[first] == "#" || chars[first] == ";") { markers.append(1) }
            markers.append(0)
            for marker in markers {
                let afterMarker = first + marker
                let more = blanks(from: afterMarker)
                for second in stride(from: more, through: 0, by: -1) {
                    if let value = tail(from: afterMarker + second) {
                        self.comment = marker == 1 ? String(chars[first]) : ""
                        self.value = value
                        return
                    }
                }
            }
        }
        return nil
    }
}
