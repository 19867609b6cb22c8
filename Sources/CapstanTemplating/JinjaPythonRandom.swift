import CapstanBasics

/// Python's `random.Random(seed)`: the Mersenne Twister with CPython's seeding, so that Ansible's
/// `random(seed=...)` and `shuffle(seed=...)` pick the same values here as there (cron minutes spread
/// by `60 | random(seed=inventory_hostname)` must not move when a host switches tools).
struct JinjaPythonRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// Seeds as CPython does: integers by their absolute value, strings (version 2) by their UTF-8 bytes
    /// followed by their SHA-512, read as one big-endian integer.
    init(seed: Value) {
        var magnitude: [UInt8]
        switch seed {
        case .int(let i): magnitude = JinjaPythonRandom.bigEndianBytes(i.magnitude)
        case .bool(let b): magnitude = b ? [1] : []
        default:
            let text = Array(seed.pythonString.utf8)
            magnitude = text + Digest.sha512(text)
        }
        while magnitude.first == 0 { magnitude.removeFirst() }
        // 32-bit words of the integer, least significant first.
        var key: [UInt32] = []
        var end = magnitude.count
        while end > 0 {
            let start = max(0, end - 4)
            key.append(magnitude[start..<end].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            end = start
        }
        if key.isEmpty { key = [0] }
        initByArray(key)
    }

    private static func bigEndianBytes(_ v: UInt) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: v >> UInt(56 - 8 * $0)) }
    }

    private mutating func initGenrand(_ s: UInt32) {
        state[0] = s
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    private mutating func initByArray(_ key: [UInt32]) {
        initGenrand(19_650_218)
        var i = 1
        var j = 0
        for _ in 0..<max(624, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= 624 {
                state[0] = state[623]
                i = 1
            }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<623 {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= 624 {
                state[0] = state[623]
                i = 1
            }
        }
        state[0] = 0x8000_0000
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7fff_ffff)
            state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_b0df)
        }
        index = 0
    }

    mutating func nextUInt32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// `getrandbits(k)`, for k up to 64.
    private mutating func bits(_ k: Int) -> UInt64 {
        if k <= 32 { return UInt64(nextUInt32() >> UInt32(32 - k)) }
        let low = UInt64(nextUInt32())
        let high = UInt64(nextUInt32() >> UInt32(64 - k))
        return high << 32 | low
    }

    /// `_randbelow(n)`: rejection sampling on `n.bit_length()` bits.
    mutating func below(_ n: Int) -> Int {
        guard n > 0 else { return 0 }
        let k = Int.bitWidth - n.leadingZeroBitCount
        var r = bits(k)
        while r >= UInt64(n) { r = bits(k) }
        return Int(r)
    }

    /// `randrange(start, stop, step)`.
    mutating func randrange(_ start: Int, _ stop: Int, _ step: Int) throws -> Int {
        let n = step == 0 ? 0 : JinjaBuiltinFunctions.rangeCount(start, stop, step)
        guard n > 0 else { throw TemplateError("empty range for randrange() (\(start), \(stop), \(step))") }
        // The pick lies between start and stop; wrapping arithmetic is exact whenever the result fits.
        return start &+ step &* below(n)
    }

    /// `shuffle(x)`: Fisher–Yates from the end, as CPython does.
    mutating func shuffle(_ items: inout [Value]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, through: 1, by: -1) {
            items.swapAt(i, below(i + 1))
        }
    }
}
