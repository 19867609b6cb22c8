/// Where two texts first differ, for a test failure's message: the line number and both lines.
package func firstDifference(_ a: String, _ b: String) -> String {
    let la = a.split(separator: "\n", omittingEmptySubsequences: false)
    let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(la.count, lb.count) {
        let x = i < la.count ? String(la[i]) : "<none>"
        let y = i < lb.count ? String(lb[i]) : "<none>"
        if x != y { return "line \(i + 1)\n  capstan: \(x)\n  ansible: \(y)" }
    }
    return "none"
}
