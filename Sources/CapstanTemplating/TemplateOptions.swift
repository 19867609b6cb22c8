/// How a template's text is split around tags: Jinja2's whitespace settings, with Ansible's choices as defaults.
public struct TemplateOptions: Sendable, Hashable {
    /// Drop the first newline after a block tag (`%}`) or comment. Ansible turns this on for task
    /// arguments and for the template module alike.
    public var trimBlocks: Bool
    /// Strip spaces and tabs from the start of a line up to a block tag or comment.
    public var lstripBlocks: Bool
    /// Ansible's `preserve_trailing_newlines`: Jinja2 drops one trailing newline of the source; when this is
    /// on, a text result gets back as many trailing newlines as the source had, if it has fewer.
    public var preserveTrailingNewlines: Bool

    /// Options with Ansible's defaults unless given.
    public init(trimBlocks: Bool = true, lstripBlocks: Bool = false, preserveTrailingNewlines: Bool = true) {
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
        self.preserveTrailingNewlines = preserveTrailingNewlines
    }

    /// Ansible's settings for task arguments and for the template module: trim_blocks on, lstrip_blocks off,
    /// trailing newlines preserved.
    public static let ansible = TemplateOptions()
    /// Plain Jinja2's defaults: nothing trimmed, a trailing newline dropped.
    public static let jinja = TemplateOptions(trimBlocks: false, lstripBlocks: false, preserveTrailingNewlines: false)
}
