/// A problem with a request to the inventory (a pattern, a host name), not with an input file.
public struct InventoryError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in Ansible's words where it has some.
    public let message: String

    /// Creates an error with a message.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
