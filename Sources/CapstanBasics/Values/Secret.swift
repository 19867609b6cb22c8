/// A string that must never be printed: passwords, key passphrases, become passwords.
///
/// Its `description` and `debugDescription` are `***`, so string interpolation, logging and error
/// messages cannot leak it by accident; reading the clear text takes an explicit `.value`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The clear text. Read it only where it is handed to the thing that needs it.
    public let value: String

    /// Wraps a clear-text secret.
    public init(_ value: String) {
        self.value = value
    }

    /// Always `***`.
    public var description: String { "***" }

    /// Always `***`, so `debugPrint` and `dump`-style output stay redacted too.
    public var debugDescription: String { "***" }
}
