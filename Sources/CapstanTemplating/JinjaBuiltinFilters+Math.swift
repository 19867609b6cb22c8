import CapstanBasics
import Foundation

/// Numbers and sets: `abs`, `round`, `pow`, `log`, `root`, `random`, `shuffle`, `union`, `intersect`,
/// `difference`, `symmetric_difference`.
extension JinjaBuiltinFilters {
    static func registerMath(in env: TemplateEnvironment) {
        env.registerFilter("abs") { args in
            switch JinjaPythonOperators.number(args.input) {
            case .int(let i)?:
                guard i != .min else { throw JinjaPythonOperators.overflow("abs") }
                return .int(abs(i))
            case .float(let d)?: return .float(abs(d))
            case nil: throw TemplateError("bad operand type for abs(): '\(args.input.pythonTypeName)'")
            }
        }
        env.registerFilter("round") { args in
            guard let x = JinjaPythonOperators.number(args.input) else {
                throw TemplateError("type \(args.input.pythonTypeName) doesn't define __round__ method")
            }
            let precision = try int(args.argument(0, "precision"), "precision", default: 0)
            let method = args.argument(1, "method")?.stringValue ?? "common"
            if case .int(let i) = x, method == "common" { return .int(try roundInteger(i, digits: precision)) }
            let scale = pow(10.0, Double(precision))
            // Past these, Python's result is the number itself (digits beyond a double's) or zero.
            guard scale.isFinite else { return .float(x.double) }
            guard scale > 0 else {
                guard method == "common" else { throw TemplateError("float division by zero") }
                return .float(x.double.sign == .minus ? -0.0 : 0.0)
            }
            let v = x.double * scale
            let rounded: Double
            switch method {
            case "ceil": rounded = v.rounded(.up)
            case "floor": rounded = v.rounded(.down)
            case "common":
                // Python rounds the exact binary value (2.675 -> 2.67), as printf does; 17 significant
                // digits are all a double has, so more decimals change nothing.
                if precision >= 0 {
                    guard precision <= 340 else { return .float(x.double) }
                    return .float(Double(String(format: "%.\(precision)f", x.double)) ?? x.double)
                }
                rounded = v.rounded(.toNearestOrEven)
            default: throw TemplateError("method must be common, ceil or floor")
            }
            return .float(rounded / scale)
        }
        env.registerFilter("pow") { args in
            guard let x = JinjaPythonOperators.number(args.input),
                let y = args.argument(0, "y").flatMap(JinjaPythonOperators.number)
            else {
                throw TemplateError("pow() only accepts numeric values")
            }
            return .float(pow(x.double, y.double))
        }
        env.registerFilter("log") { args in
            guard let x = JinjaPythonOperators.number(args.input) else {
                throw TemplateError("log() can only be used on numbers")
            }
            guard let base = args.argument(0, "base").flatMap(JinjaPythonOperators.number) else {
                return .float(Foundation.log(x.double))
            }
            return .float(Foundation.log(x.double) / Foundation.log(base.double))
        }
        env.registerFilter("root") { args in
            guard let x = JinjaPythonOperators.number(args.input) else {
                throw TemplateError("root() can only be used on numbers")
            }
            let base = args.argument(0, "base").flatMap(JinjaPythonOperators.number)?.double ?? 2
            return .float(base == 2 ? x.double.squareRoot() : pow(x.double, 1 / base))
        }
        env.registerFilter("random") { try random($0) }
        env.registerFilter("shuffle") { try shuffle($0) }
        env.registerFilter("union") { args in
            try unique(JinjaRenderer.iterate(args.input) + JinjaRenderer.iterate(args.argument(0, "b") ?? .list([])))
        }
        env.registerFilter("intersect") { args in
            let b = try JinjaRenderer.iterate(args.argument(0, "b") ?? .list([]))
            return try unique(
                JinjaRenderer.iterate(args.input).filter { x in b.contains { JinjaPythonOperators.equal($0, x) } })
        }
        env.registerFilter("difference") { args in
            let b = try JinjaRenderer.iterate(args.argument(0, "b") ?? .list([]))
            return try unique(
                JinjaRenderer.iterate(args.input).filter { x in !b.contains { JinjaPythonOperators.equal($0, x) } })
        }
        env.registerFilter("symmetric_difference") { args in
            let a = try JinjaRenderer.iterate(args.input)
            let b = try JinjaRenderer.iterate(args.argument(0, "b") ?? .list([]))
            let all = a + b
            return unique(
                all.filter { x in
                    !(a.contains { JinjaPythonOperators.equal($0, x) }
                        && b.contains { JinjaPythonOperators.equal($0, x) })
                })
        }
    }

    /// Python's `round(i, digits)` for an integer: unchanged for digits >= 0, else to the nearest multiple
    /// of 10**-digits, halves to even.
    static func roundInteger(_ i: Int, digits: Int) throws -> Int {
        guard digits < 0 else { return i }
        guard digits >= -18 else { return 0 }
        let unit = try JinjaPythonOperators.power(10, -digits)
        let remainder = i % unit
        let down = i - remainder
        let twice = remainder.magnitude * 2
        let awayFromZero =
            twice > UInt(unit) || (twice == UInt(unit) && (down / unit).magnitude % 2 == 1)
        guard awayFromZero else { return down }
        let (r, overflow) = down.addingReportingOverflow(i < 0 ? -unit : unit)
        guard !overflow else { throw JinjaPythonOperators.overflow("round") }
        return r
    }

    static func unique(_ items: [Value]) -> Value {
        var out: [Value] = []
        for item in items where !out.contains(where: { JinjaPythonOperators.equal($0, item) }) { out.append(item) }
        return .list(out)
    }

    /// Ansible's `random`: an item of a list or a number below an end. With `seed` the choice is Python's
    /// `Random(seed)`'s, so it matches Ansible's; without, the system's generator.
    private static func random(_ args: CallArguments) throws -> Value {
        var seeded = args.keywords["seed"].flatMap { $0 == .null ? nil : JinjaPythonRandom(seed: $0) }
        var system = SystemRandomNumberGenerator()
        let below: (Int) -> Int = { n in
            if seeded != nil { return seeded!.below(n) }
            return Int.random(in: 0..<n, using: &system)
        }
        switch args.input {
        case .int(let end):
            let start = try int(args.argument(0, "start"), "start", default: 0)
            let step = try int(args.argument(1, "step"), "step", default: 1)
            if seeded != nil { return .int(try seeded!.randrange(start, end, step == 0 ? 1 : step)) }
            let count = JinjaBuiltinFunctions.rangeCount(start, end, step == 0 ? 1 : step)
            guard count > 0 else { throw TemplateError("empty range for randrange()") }
            // The pick lies between start and end, so it fits; the product on the way may not, and
            // wrapping arithmetic gives the exact result whenever the result fits.
            return .int(start &+ (step == 0 ? 1 : step) &* below(count))
        default:
            let items = try JinjaRenderer.iterate(args.input)
            guard !items.isEmpty else { throw TemplateError("Cannot choose from an empty sequence") }
            return items[below(items.count)]
        }
    }

    /// Ansible's `shuffle` (randomize_list): Python's `Random(seed).shuffle` when seeded.
    static func shuffle(_ args: CallArguments) throws -> Value {
        var items = try JinjaRenderer.iterate(args.input)
        if let seed = args.argument(0, "seed"), seed.isTruthy {
            var generator = JinjaPythonRandom(seed: seed)
            generator.shuffle(&items)
        } else {
            items.shuffle()
        }
        return .list(items)
    }
}
