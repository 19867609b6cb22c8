import CapstanBasics

/// Names Kubernetes accepts for objects and label values, made from free text (set names, experiment
/// ids, parameter values) deterministically, so that the same experiment always gets the same name.
public enum KubernetesName {
    /// The longest DNS-1123 label (object names that become labels or host names).
    public static let maxLength = 63

    /// A DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`) that starts with a letter (so it is also a
    /// DNS-1035 label, which Services made from the name need), at most `limit` characters.
    /// Lowercases, turns every other character into `-`, squeezes dashes; a name that does not fit
    /// is cut and ends with `-` and 8 hex digits of the SHA-256 of the full text, so two long names
    /// that share a prefix stay different.
    public static func label(_ text: String, limit: Int = maxLength) -> String {
        var slug = self.slug(text)
        if !(slug.first?.isLetter ?? false) { slug = slug.isEmpty ? "x" : "x-" + slug }
        guard slug.count > limit else { return slug }
        let hash = String(Digest.hex(Digest.sha256(Array(text.utf8))).prefix(8))
        let head = String(slug.prefix(limit - hash.count - 1)).trimmingSuffix("-")
        return head + "-" + hash
    }

    /// Lowercase letters, digits and single dashes, no dash at either end; may be empty.
    public static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9")
            if ok {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && out.last != "-" {
                out.append("-")
            }
        }
        return out.trimmingSuffix("-")
    }

    /// True when `text` is a DNS-1123 label of at most `limit` characters.
    public static func isLabel(_ text: String, limit: Int = maxLength) -> Bool {
        guard !text.isEmpty, text.count <= limit, text.first != "-", text.last != "-" else { return false }
        return text.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
    }

    /// True when `text` may be a label value: empty, or up to 63 characters of `[A-Za-z0-9-_.]`
    /// starting and ending with a letter or digit.
    public static func isLabelValue(_ text: String) -> Bool {
        guard !text.isEmpty else { return true }
        guard text.count <= maxLength else { return false }
        func alnum(_ c: Unicode.Scalar) -> Bool { c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c)) }
        let scalars = Array(text.unicodeScalars)
        guard alnum(scalars.first!), alnum(scalars.last!) else { return false }
        return scalars.allSatisfy { alnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: Character) -> String {
        var s = self
        while s.last == suffix { s.removeLast() }
        return s
    }
}
