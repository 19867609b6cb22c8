/// How a template's text is split around tags: Jinja2's whitespace settings, with Ansible's choices as defaults.
public struct TemplateOptions: Sendable, Hashable {
    /// Drop the first newline after a block tag (`%}`) or comment. Ansible turns this on for task
    /// arguments and for the template module alike.
    public var trimBlocks: Bool
    /// Strip spaces and tabs from the start of a line up to a block tag or comment.
    public var lstripBlocks: Bool
    /// Keep a single trailing newline of the template text (Ansible preserves it; plain Jinja2 drops it).
    public var keepTrailingNewline: Bool

    public init(trimBlocks: Bool = true, lstripBlocks: Bool = false, keepTrailingNewline: Bool = true) {
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
        self.keepTrailingNewline = keepTrailingNewline
    }

    /// Ansible's settings for task arguments and for the template module: trim_blocks on, lstrip_blocks off,
    /// trailing newline kept.
    public static let ansible = TemplateOptions()
    /// Plain Jinja2's defaults: nothing trimmed, a trailing newline dropped.
    public static let jinja = TemplateOptions(trimBlocks: false, lstripBlocks: false, keepTrailingNewline: false)
}
