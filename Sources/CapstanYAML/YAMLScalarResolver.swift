import Foundation

/// Types plain scalars the way PyYAML's `SafeLoader` does (YAML 1.1), which is what Ansible uses:
/// `yes`/`on`/`True` are booleans (but `y` and `n` are strings), `0755` is octal, `0o755` and `1e3`
/// are strings (PyYAML's float needs a dot and a signed exponent), `1:30` is sexagesimal 90,
/// `~` and the empty scalar are null.
///
/// The matchers are written by hand from PyYAML's resolver regular expressions; a regex engine per
/// scalar would dominate the time to load a large inventory.
enum YAMLScalarResolver {
    private static let trueWords: Set<String> = ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
    private static let falseWords: Set<String> = ["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]
    private static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

    /// The tag PyYAML's implicit resolver gives a plain scalar.
    static func implicitTag(_ text: String) -> String {
        let u = Array(text.utf8)
        if trueWords.contains(text) || falseWords.contains(text) { return YAMLTag.bool }
        if isFloat(u) { return YAMLTag.float }
        if isInt(u) { return YAMLTag.int }
        if text == "<<" { return YAMLTag.merge }
        if nullWords.contains(text) { return YAMLTag.null }
        if isTimestamp(u) { return YAMLTag.timestamp }
        if text == "=" { return YAMLTag.value }
        return YAMLTag.str
    }

    /// The boolean for a bool-tagged word.
    static func bool(_ text: String) -> Bool? {
        if trueWords.contains(text) { return true }
        if falseWords.contains(text) { return false }
        return nil
    }

    /// PyYAML's `construct_yaml_int`: underscores dropped, `0b`, `0x`, leading-zero octal, base 60.
    static func int(_ text: String) -> Int? {
        var v = text.replacingOccurrences(of: "_", with: "")
        guard !v.isEmpty else { return nil }
        var sign = 1
        if v.first == "-" { sign = -1 }
        if v.first == "-" || v.first == "+" { v.removeFirst() }
        guard !v.isEmpty else { return nil }
        if v == "0" { return 0 }
        if v.hasPrefix("0b") { return Int(v.dropFirst(2), radix: 2).map { sign * $0 } }
        if v.hasPrefix("0x") { return Int(v.dropFirst(2), radix: 16).map { sign * $0 } }
        if v.first == "0" { return Int(v, radix: 8).map { sign * $0 } }
        if v.contains(":") {
            var total = 0
            for part in v.split(separator: ":", omittingEmptySubsequences: false) {
                // Past Int's range (60^11 is near) there is no integer to give: the caller reports it.
                guard let digit = Int(part) else { return nil }
                let (shifted, overflow) = total.multipliedReportingOverflow(by: 60)
                guard !overflow, case let (sum, false) = shifted.addingReportingOverflow(digit) else { return nil }
                total = sum
            }
            return sign * total
        }
        return Int(v).map { sign * $0 }
    }

    /// PyYAML's `construct_yaml_float`: `.inf`, `.nan`, base 60, otherwise Python's `float()`.
    static func float(_ text: String) -> Double? {
        var v = text.replacingOccurrences(of: "_", with: "").lowercased()
        guard !v.isEmpty else { return nil }
        var sign = 1.0
        if v.first == "-" { sign = -1 }
        if v.first == "-" || v.first == "+" { v.removeFirst() }
        if v == ".inf" { return sign * .infinity }
        if v == ".nan" { return .nan }
        if v.contains(":") {
            var total = 0.0
            for part in v.split(separator: ":", omittingEmptySubsequences: false) {
                guard let digit = pythonFloat(String(part)) else { return nil }
                total = total * 60 + digit
            }
            return sign * total
        }
        return pythonFloat(v).map { sign * $0 }
    }

    /// Python's `float()` accepts `1.` and `.5`; Swift's parser wants digits on both sides of the dot.
    private static func pythonFloat(_ s: String) -> Double? {
        var t = s
        if t.hasPrefix(".") { t = "0" + t }
        t = t.replacingOccurrences(of: ".e", with: ".0e")
        if t.hasSuffix(".") { t += "0" }
        return Double(t)
    }

    // MARK: - Matchers for PyYAML's resolver patterns

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// Skips an optional sign.
    private static func afterSign(_ u: [UInt8]) -> Int {
        (u.first == UInt8(ascii: "+") || u.first == UInt8(ascii: "-")) ? 1 : 0
    }

    /// `[0-9_]*` from `i`; returns the index after the run.
    private static func digitsOrUnderscores(_ u: [UInt8], _ i: Int) -> Int {
        var j = i
        while j < u.count, isDigit(u[j]) || u[j] == UInt8(ascii: "_") { j += 1 }
        return j
    }

    /// `(?::[0-5]?[0-9])+` from `i`; returns the index after it, or nil when there is no such group.
    private static func sexagesimalTail(_ u: [UInt8], _ i: Int) -> Int? {
        var j = i
        var groups = 0
        while j < u.count, u[j] == UInt8(ascii: ":") {
            var k = j + 1
            if k + 1 < u.count, u[k] >= 0x30, u[k] <= 0x35, isDigit(u[k + 1]) {
                k += 2
            } else if k < u.count, isDigit(u[k]) {
                k += 1
            } else {
                break
            }
            j = k
            groups += 1
        }
        return groups > 0 ? j : nil
    }

    /// `(?:[eE][-+][0-9]+)?` at `i` up to the end.
    private static func optionalExponentToEnd(_ u: [UInt8], _ i: Int) -> Bool {
        if i == u.count { return true }
        guard u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E"), i + 2 < u.count,
            u[i + 1] == UInt8(ascii: "+") || u[i + 1] == UInt8(ascii: "-")
        else { return false }
        return u[(i + 2)...].allSatisfy(isDigit)
    }

    static func isFloat(_ u: [UInt8]) -> Bool {
        guard let first = u.first, "-+0123456789.".utf8.contains(first) else { return false }
        let text = String(decoding: u, as: UTF8.self)
        if [".nan", ".NaN", ".NAN"].contains(text) { return true }
        let s = afterSign(u)
        if [".inf", ".Inf", ".INF"].contains(String(decoding: u[s...], as: UTF8.self)) { return true }
        // \.[0-9][0-9_]*(exp)?  (no sign allowed)
        if u[0] == UInt8(ascii: "."), u.count > 1, isDigit(u[1]) {
            return optionalExponentToEnd(u, digitsOrUnderscores(u, 2))
        }
        guard s < u.count, isDigit(u[s]) else { return false }
        let afterInt = digitsOrUnderscores(u, s + 1)
        // [-+]?[0-9][0-9_]*\.[0-9_]*(exp)?
        if afterInt < u.count, u[afterInt] == UInt8(ascii: ".") {
            return optionalExponentToEnd(u, digitsOrUnderscores(u, afterInt + 1))
        }
        // [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
        if let afterSexa = sexagesimalTail(u, afterInt), afterSexa < u.count, u[afterSexa] == UInt8(ascii: ".") {
            return digitsOrUnderscores(u, afterSexa + 1) == u.count
        }
        return false
    }

    static func isInt(_ u: [UInt8]) -> Bool {
        let s = afterSign(u)
        guard s < u.count, isDigit(u[s]) else { return false }
        let rest = u[s...]
        func all(_ from: Int, _ ok: (UInt8) -> Bool) -> Bool { from < u.count && u[from...].allSatisfy(ok) }
        if rest.starts(with: "0b".utf8) { return all(s + 2) { $0 == 0x30 || $0 == 0x31 || $0 == 0x5F } }
        if rest.starts(with: "0x".utf8) {
            return all(s + 2) { isDigit($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) || $0 == 0x5F }
        }
        if u[s] == UInt8(ascii: "0") {
            if s + 1 == u.count { return true }
            return all(s + 1) { ($0 >= 0x30 && $0 <= 0x37) || $0 == 0x5F }
        }
        let afterInt = digitsOrUnderscores(u, s + 1)
        if afterInt == u.count { return true }
        return sexagesimalTail(u, afterInt) == u.count
    }

    /// `YYYY-MM-DD`, optionally followed by a time; PyYAML makes these dates, Capstan keeps the text.
    static func isTimestamp(_ u: [UInt8]) -> Bool {
        guard u.count >= 8, u[0...3].allSatisfy(isDigit), u[4] == UInt8(ascii: "-") else { return false }
        if u.count == 10 {
            return isDigit(u[5]) && isDigit(u[6]) && u[7] == UInt8(ascii: "-") && isDigit(u[8]) && isDigit(u[9])
        }
        let text = String(decoding: u, as: UTF8.self)
        return text.range(
            of: #"^\d{4}-\d\d?-\d\d?([Tt]|[ \t]+)\d\d?:\d\d:\d\d(\.\d*)?([ \t]*(Z|[-+]\d\d?(:\d\d)?))?$"#,
            options: .regularExpression) != nil
    }
}
