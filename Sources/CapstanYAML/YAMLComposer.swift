import CYaml
import CapstanBasics

/// Builds `YAMLNode` documents from libyaml's event stream (the C parser inside Yams).
///
/// Yams' own `Parser` composes nodes too, but it throws on the first duplicate mapping key, and
/// Ansible only warns about those; reading the events ourselves keeps duplicates, every mark, and the
/// explicit tags, and lets a syntax error in a later document surface with its position.
struct YAMLComposer {
    let file: String

    /// Parses every document of `text`; an empty stream yields no documents.
    func documents(from text: String) throws -> [YAMLNode] {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { bytes = [0x0A] }
        return try bytes.withUnsafeBufferPointer { buffer in
            // libyaml keeps pointers into its own state, so the parser lives at one address throughout.
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            parser.initialize(to: yaml_parser_t())
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else {
                throw InputError("cannot start the YAML parser", at: SourceLocation(file: file, line: 1, column: 1))
            }
            defer { yaml_parser_delete(parser) }
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            var stream = EventStream(parser: parser, file: file)
            return try stream.readDocuments()
        }
    }
}

/// The stateful part of composing: the parser, the anchors seen so far, and what aliases have cost.
private struct EventStream {
    let parser: UnsafeMutablePointer<yaml_parser_t>
    let file: String
    var anchors: [String: Anchored] = [:]
    /// Nodes the document's aliases stand for so far (each alias counts its target's whole subtree).
    var aliasedNodes = 0
    /// How many collections enclose the node being composed.
    var depth = 0

    /// An anchored node with the shape its aliases would add: nesting height and node count.
    struct Anchored {
        var node: YAMLNode
        var extent: YAMLLimits.Extent
    }

    init(parser: UnsafeMutablePointer<yaml_parser_t>, file: String) {
        self.parser = parser
        self.file = file
    }

    mutating func readDocuments() throws -> [YAMLNode] {
        var documents: [YAMLNode] = []
        while true {
            var event = try next()
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return documents
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]
                aliasedNodes = 0
                var first = try next()
                let (root, _) = try node(from: &first)
                yaml_event_delete(&first)
                var end = try next()
                yaml_event_delete(&end)
                documents.append(root)
            default:
                continue
            }
        }
    }

    mutating func next() throws -> yaml_event_t {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxError() }
        return event
    }

    /// Turns the event that starts a node (and, for collections, the events up to its end) into a node,
    /// with its extent once aliases are expanded.
    mutating func node(from event: inout yaml_event_t) throws -> (YAMLNode, YAMLLimits.Extent) {
        let location = self.location(event.start_mark)
        switch event.type {
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                throw InputError("found undefined alias '\(name)'; expected an anchor defined earlier", at: location)
            }
            try YAMLLimits.checkAlias(target.extent, depth: depth, expanded: &aliasedNodes, at: location)
            var copy = target.node
            copy.location = location
            return (copy, target.extent)
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text =
                s.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: s.length), as: UTF8.self) } ?? ""
            let style: YAMLNode.Style
            switch s.style {
            case YAML_PLAIN_SCALAR_STYLE: style = .plain
            case YAML_LITERAL_SCALAR_STYLE, YAML_FOLDED_SCALAR_STYLE: style = .block
            default: style = .quoted
            }
            // A lone `!` on a scalar is the non-specific tag: the text stays a string.
            let rawTag = string(s.tag)
            let tag = rawTag == "!" ? YAMLTag.str : explicitTag(rawTag)
            let node = YAMLNode(.scalar(text), style: style, tag: tag, location: location)
            let extent = YAMLLimits.Extent(height: 0, size: 1)
            register(string(s.anchor), node, extent)
            return (node, extent)
        case YAML_SEQUENCE_START_EVENT:
            let anchor = string(event.data.sequence_start.anchor)
            let tag = explicitTag(string(event.data.sequence_start.tag))
            var items: [YAMLNode] = []
            var extent = YAMLLimits.Extent(height: 1, size: 1)
            try enter(at: location)
            defer { depth -= 1 }
            while true {
                var child = try next()
                defer { yaml_event_delete(&child) }
                if child.type == YAML_SEQUENCE_END_EVENT { break }
                let (item, itemExtent) = try node(from: &child)
                items.append(item)
                extent.include(itemExtent)
            }
            let node = YAMLNode(.sequence(items), style: .collection, tag: tag, location: location)
            register(anchor, node, extent)
            return (node, extent)
        case YAML_MAPPING_START_EVENT:
            let anchor = string(event.data.mapping_start.anchor)
            let tag = explicitTag(string(event.data.mapping_start.tag))
            var pairs: [YAMLPair] = []
            var extent = YAMLLimits.Extent(height: 1, size: 1)
            try enter(at: location)
            defer { depth -= 1 }
            while true {
                var keyEvent = try next()
                defer { yaml_event_delete(&keyEvent) }
                if keyEvent.type == YAML_MAPPING_END_EVENT { break }
                let (key, keyExtent) = try node(from: &keyEvent)
                var valueEvent = try next()
                defer { yaml_event_delete(&valueEvent) }
                let (value, valueExtent) = try node(from: &valueEvent)
                pairs.append(YAMLPair(key: key, value: value))
                extent.include(keyExtent)
                extent.include(valueExtent)
            }
            let node = YAMLNode(.mapping(pairs), style: .collection, tag: tag, location: location)
            register(anchor, node, extent)
            return (node, extent)
        default:
            throw InputError("unexpected YAML event; expected a node", at: location)
        }
    }

    mutating func register(_ anchor: String?, _ node: YAMLNode, _ extent: YAMLLimits.Extent) {
        if let anchor { anchors[anchor] = Anchored(node: node, extent: extent) }
    }

    /// One level deeper; libyaml bounds written nesting already, so this catches none but is cheap.
    mutating func enter(at location: SourceLocation) throws {
        depth += 1
        guard depth <= YAMLLimits.maximumDepth else { throw YAMLLimits.tooDeep(at: location) }
    }

    /// libyaml reports the non-specific tag `!` for quoted scalars written without a tag; that is no tag.
    func explicitTag(_ tag: String?) -> String? {
        guard let tag, tag != "!" else { return nil }
        return tag
    }

    func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    /// The parser's complaint as an `InputError`, phrased like PyYAML's ("while scanning ..., found ...").
    func syntaxError() -> InputError {
        let problem = parser.pointee.problem.map { String(cString: $0) } ?? "invalid YAML"
        var message = "YAML syntax error: \(problem)"
        if let context = parser.pointee.context.map({ String(cString: $0) }) {
            let c = parser.pointee.context_mark
            message += " (\(context) started at line \(c.line + 1), column \(c.column + 1))"
        }
        if parser.pointee.error == YAML_READER_ERROR {
            return InputError(message, at: SourceLocation(file: file, line: 1, column: 1))
        }
        return InputError(message, at: location(parser.pointee.problem_mark))
    }
}
