/// A value that must not be shown: passwords, become passwords. Printing it (description, debug
/// description, string interpolation) gives `***`; reading the real text takes `revealed()`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    private let text: String

    /// Wraps a secret text.
    public init(_ text: String) { self.text = text }

    /// The secret itself, for the one place that must hand it to a library or a remote program.
    public func revealed() -> String { text }

    /// Always `***`.
    public var description: String { "***" }

    /// Always `***`, so that `dump` and debuggers do not leak it either.
    public var debugDescription: String { "***" }
}
