import Testing

@testable import CapstanTransport

/// Which programs a resident shell keeps as functions, and which it is told to forget.
@Suite struct ResidentProgramCacheTests {
    @Test func definedOnceThenCalledAndTheLeastRecentlyUsedForgotten() {
        // Room for two of these six-byte programs.
        var cache = ResidentProgramCache(budget: 12)
        let (a, b, c) = ("echo a", "echo b", "echo c")
        let name = ResidentProgramCache.functionName
        #expect(cache.form(for: a) == (.define(name(a)), []))
        #expect(cache.form(for: a) == (.call(name(a)), []))
        #expect(cache.form(for: b) == (.define(name(b)), []))
        // `a` was used before `b`, then again: `b` is the least recently used when `c` arrives.
        #expect(cache.form(for: a) == (.call(name(a)), []))
        #expect(cache.form(for: c) == (.define(name(c)), [name(b)]))
        #expect(cache.form(for: b) == (.define(name(b)), [name(a)]))
        #expect(cache.form(for: c) == (.call(name(c)), []))
    }

    @Test func aLargerProgramPushesOutAsManyAsItNeeds() {
        var cache = ResidentProgramCache(budget: 100)
        let small = (0..<5).map { "echo \($0) " + String(repeating: "x", count: 13) }  // 20 bytes each
        for program in small { #expect(cache.form(for: program).forget.isEmpty) }
        let large = "echo " + String(repeating: "y", count: 45)  // 50 bytes: three must go, oldest first
        #expect(cache.form(for: large).forget == small.prefix(3).map(ResidentProgramCache.functionName))
        #expect(cache.form(for: small[3]) == (.call(ResidentProgramCache.functionName(for: small[3])), []))
    }

    @Test func droppedProgramsAreDefinedAgain() {
        var cache = ResidentProgramCache(budget: 100)
        let name = ResidentProgramCache.functionName(for: "if then")
        #expect(cache.form(for: "if then") == (.define(name), []))
        cache.drop(name)
        #expect(cache.form(for: "if then") == (.define(name), []))
    }

    @Test func nothingIsKeptWithoutBudgetOrPastTheSizeLimit() {
        var none = ResidentProgramCache(budget: 0)
        #expect(none.form(for: "true") == (.inline, []))
        #expect(none.form(for: "true") == (.inline, []))
        var some = ResidentProgramCache(budget: 1 << 20)
        let large = String(repeating: "#", count: ResidentProgramCache.largestKept + 1)
        #expect(some.form(for: large) == (.inline, []))
        #expect(some.form(for: large) == (.inline, []))
        var tight = ResidentProgramCache(budget: 10)
        #expect(tight.form(for: "echo eleven") == (.inline, []))
    }

    @Test func namesDifferWithTheTextAndAreShellNames() {
        let one = ResidentProgramCache.functionName(for: "echo 1")
        #expect(one == ResidentProgramCache.functionName(for: "echo 1"))
        #expect(one != ResidentProgramCache.functionName(for: "echo 2"))
        #expect(one.hasPrefix("capstan_p_") && one.count == "capstan_p_".count + 32)
        #expect(one.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
    }
}
