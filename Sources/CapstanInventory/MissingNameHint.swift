import CapstanBasics

/// What to tell a user whose pattern or template names a group the inventory does not have: the
/// nearest group names (Kubespray's older names counted as spellings of the current ones, so
/// `[kube-mastr]` is offered for `kube_control_plane`), else the groups there are.
package enum MissingNameHint {
    /// Kubespray's current group names and their older spellings, both ways.
    static let aliases: [String: [String]] = [
        "kube_control_plane": ["kube-master", "kube_master"], "kube-master": ["kube_control_plane"],
        "kube_master": ["kube_control_plane"], "kube_node": ["kube-node"], "kube-node": ["kube_node"],
        "k8s_cluster": ["k8s-cluster"], "k8s-cluster": ["k8s_cluster"],
    ]

    /// Groups listed in full when none is near; more are counted instead.
    static let listedGroups = 10

    /// "did you mean kube-mastr?", or "its groups: a, b" when no group is near (nil without groups).
    /// `all` and `ungrouped` are never offered.
    package static func forGroup(_ name: String, groups: some Sequence<String>) -> String? {
        let candidates = groups.filter { $0 != "all" && $0 != "ungrouped" }
        guard !candidates.isEmpty, candidates.count <= 10_000 else { return nil }
        let near = Suggestions.closest(to: [name] + (aliases[name] ?? []), among: candidates)
        if !near.isEmpty { return "did you mean \(near.joined(separator: " or "))?" }
        let shown = candidates.prefix(listedGroups).joined(separator: ", ")
        let more = candidates.count > listedGroups ? " and \(candidates.count - listedGroups) more" : ""
        return "its groups: \(shown)\(more)"
    }
}
