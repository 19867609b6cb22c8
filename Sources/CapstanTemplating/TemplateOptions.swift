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
    /// Ansible's `escape_backslashes`: string literals inside `{{ }}` keep their backslashes as written
    /// (`'\\1'` is the two characters `\1`), because the text already went through YAML's escapes. Ansible
    /// does this for templates in YAML (task arguments, variables, names); not for `{% %}` tags, template
    /// files, included templates or conditionals.
    public var escapesBackslashes: Bool

    /// Options with Ansible's defaults unless given.
    public init(
        trimBlocks: Bool = true, lstripBlocks: Bool = false, preserveTrailingNewlines: Bool = true,
        escapesBackslashes: Bool = false
    ) {
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
        self.preserveTrailingNewlines = preserveTrailingNewlines
        self.escapesBackslashes = escapesBackslashes
    }

    /// Ansible's settings for task arguments and for the template module: trim_blocks on, lstrip_blocks off,
    /// trailing newlines preserved.
    public static let ansible = TemplateOptions()
    /// Ansible's settings for a template that comes from YAML (task arguments, variables, names, loops):
    /// `.ansible` with backslashes in `{{ }}` string literals kept as written.
    public static let ansibleYAML = TemplateOptions(escapesBackslashes: true)
    /// Plain Jinja2's defaults: nothing trimmed, a trailing newline dropped.
    public static let jinja = TemplateOptions(trimBlocks: false, lstripBlocks: false, preserveTrailingNewlines: false)
}
