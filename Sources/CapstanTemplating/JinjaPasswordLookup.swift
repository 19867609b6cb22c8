import CapstanBasics
import Collections
import Foundation

/// One term of the `password` lookup: `PATH [length=N] [chars=a,b] [seed=S]`, parsed as Ansible's
/// lookup parses it (words without `=` belong to the path; keyword arguments of the call apply to
/// every term; `,,` in `chars` stands for a comma).
struct PasswordRequest {
    var path: String
    var length = 20
    var chars = JinjaLookups.defaultPasswordChars
    var seed: String?

    init(_ term: String, keywords: OrderedDictionary<String, Value>) throws {
        var options: [String: String] = [:]
        for (k, v) in keywords { options[k] = v.pythonString }
        var pathWords: [String] = []
        var sawOption = false
        let words = term.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for (i, word) in words.enumerated() {
            if i > 0, let eq = word.firstIndex(of: "=") {
                options[String(word[..<eq])] = Self.unquote(String(word[word.index(after: eq)...]))
                sawOption = true
            } else {
                guard !sawOption else {
                    throw TemplateError("Unrecognized value after key=value parameters given to password lookup")
                }
                pathWords.append(word)
            }
        }
        path = pathWords.joined(separator: " ")
        let unknown = Set(options.keys).subtracting(["length", "chars", "seed", "encrypt", "ident"])
        guard unknown.isEmpty else {
            throw TemplateError(
                "Unrecognized parameter(s) given to password lookup: \(unknown.sorted().joined(separator: ", "))")
        }
        if options["encrypt"] != nil || options["ident"] != nil {
            throw TemplateError("the password lookup's encrypt and ident parameters are not supported by Capstan")
        }
        if let l = options["length"] {
            guard let n = Int(l), n >= 0 else { throw TemplateError("password lookup: length must be a number") }
            length = n
        }
        if let c = options["chars"] {
            chars =
                (c.contains(",,") ? [","] : [])
                + c.replacingOccurrences(of: ",,", with: ",").split(
                    separator: ","
                ).map(String.init)
        }
        seed = options["seed"]
    }

    /// The candidate characters: Python `string` constants by name, other specs verbatim, quotes removed.
    var candidates: [Character] {
        let named: [String: String] = [
            "ascii_letters": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "ascii_lowercase": "abcdefghijklmnopqrstuvwxyz", "ascii_uppercase": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "digits": "0123456789", "hexdigits": "0123456789abcdefABCDEF", "octdigits": "01234567",
            "punctuation": ##"!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"##,
        ]
        return Array(chars.map { named[$0] ?? $0 }.joined().filter { $0 != "\"" && $0 != "'" })
    }

    /// A new password: from the system's random source, or from Python's `random.Random(seed)` so
    /// a seeded password is the one Ansible makes.
    func generate() -> String {
        let pool = candidates
        guard !pool.isEmpty else { return "" }
        if let seed {
            var random = JinjaPythonRandom(seed: .string(seed))
            return String((0..<length).map { _ in pool[random.below(pool.count)] })
        }
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in pool[Int.random(in: 0..<pool.count, using: &generator)] })
    }

    private static func unquote(_ s: String) -> String {
        guard s.count >= 2, let f = s.first, f == s.last, f == "'" || f == "\"" else { return s }
        return String(s.dropFirst().dropLast())
    }
}

/// The file behind a `password` lookup. Creation is atomic (a private temporary file linked to the
/// name), so hosts templating at once in one run all get the password the first one wrote.
struct PasswordFile {
    let path: String

    /// The stored password, or `make()`'s, written first when there is no file yet.
    func password(_ make: () -> String) throws -> String {
        if path == "/dev/null" { return make() }
        if let stored = read() { return stored }
        let dir = (path as NSString).deletingLastPathComponent
        try createDirectories(dir)
        let temporary = dir + "/.capstan-password-\(UUID().uuidString)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw TemplateError("password lookup: cannot write in \(dir)") }
        defer { unlink(temporary) }
        let bytes = Array((make() + "\n").utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else { throw TemplateError("password lookup: cannot write \(path)") }
        // link fails when another writer got there first; its password wins.
        _ = link(temporary, path)
        guard let stored = read() else { throw TemplateError("password lookup: cannot read \(path)") }
        return stored
    }

    /// The password part of the file (Ansible keeps ` salt=...` after it), trailing whitespace gone.
    private func read() -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var text = String(decoding: data, as: UTF8.self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        if let salt = text.range(of: " salt=", options: .backwards) { text = String(text[..<salt.lowerBound]) }
        return text
    }

    /// Creates missing folders as Ansible's `makedirs_safe(dir, 0o700)` does: the file's own folder
    /// 0700, folders above it with the default mode.
    private func createDirectories(_ dir: String, mode: mode_t = 0o700) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue { return }
        try createDirectories((dir as NSString).deletingLastPathComponent, mode: 0o777)
        guard mkdir(dir, mode) == 0 || errno == EEXIST else {
            throw TemplateError("password lookup: cannot create \(dir)")
        }
    }
}
