import CapstanBasics
import Collections

/// A parameter matrix: each key with its choices; expanded into every combination in the order
/// written, the last key varying fastest (Python's `itertools.product`).
public struct ParameterMatrix: Sendable {
    /// One key and the values it takes; `varies` is false for a key given as a scalar, which is
    /// then a default for every combination and not part of the derived ids.
    public struct Axis: Sendable {
        public var key: String
        public var values: [Value]
        public var varies: Bool

        public init(key: String, values: [Value], varies: Bool) {
            self.key = key
            self.values = values
            self.varies = varies
        }
    }

    /// The most combinations one matrix may expand to: a typo (a list instead of a scalar) should
    /// not launch thousands of Jobs.
    public static let maxCombinations = 10_000

    public var axes: [Axis]
    /// Where the matrix is written, for errors and for the experiments it makes.
    public var location: SourceLocation

    public init(axes: [Axis], location: SourceLocation) {
        self.axes = axes
        self.location = location
    }

    /// How many combinations the matrix makes.
    public var count: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// Every combination: each is the values of all axes in axis order.
    public func combinations() throws -> [OrderedDictionary<String, Value>] {
        guard count <= Self.maxCombinations else {
            throw InputError(
                "the matrix makes \(count) experiments, more than the \(Self.maxCombinations) allowed", at: location)
        }
        var result: [OrderedDictionary<String, Value>] = [[:]]
        for axis in axes {
            result = result.flatMap { partial in
                axis.values.map { value in
                    var next = partial
                    next[axis.key] = value
                    return next
                }
            }
        }
        return result
    }

    /// The keys that vary, which name the experiments the matrix makes.
    public var varyingKeys: [String] { axes.filter(\.varies).map(\.key) }
}
