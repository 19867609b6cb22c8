/// A place in an input file, 1-based, printed as `FILE:LINE:COL` like compilers and swift-format do.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file as the user named it (relative paths stay relative).
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column number.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// An error in the user's input: a fixed phrase saying what is wrong, and where.
public struct InputError: Error, Sendable, CustomStringConvertible {
    /// Where the problem was found.
    public var location: SourceLocation
    /// What is wrong and what was expected, in one sentence.
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): \(message)" }
}

/// A problem worth telling the user about that does not stop the run (Ansible's `[WARNING]`).
public struct Warning: Sendable, Hashable, CustomStringConvertible {
    /// Where it was seen, when known.
    public var location: SourceLocation?
    public var message: String

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
