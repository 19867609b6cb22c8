import CapstanTestSupport
import Foundation
import Testing

/// Issue 14's fuzz harness: the built `capstan` must neither crash, hang nor blow up its memory on any
/// input. Replays every committed regression, then runs mutated seeds from `Tests/fuzz/corpus` with a
/// fixed seed. See Tests/fuzz/README.md for running more cases, other seeds and saving failures.
@Suite(.serialized)
struct FuzzTests {
    static let root = Fixtures.packageRoot.appendingPathComponent("Tests/fuzz")
    static let environment = ProcessInfo.processInfo.environment

    /// Settings from the environment, with CI's defaults.
    struct Settings {
        var cases = Int(environment["CAPSTAN_FUZZ_CASES"] ?? "") ?? 240
        var seed = UInt64(environment["CAPSTAN_FUZZ_SEED"] ?? "") ?? 20_261_207
        /// Generated cases stop after this many seconds even if fewer than `cases` ran (slow machines).
        var seconds = Double(environment["CAPSTAN_FUZZ_SECONDS"] ?? "") ?? 60
        var limits = FuzzProcess.Limits(
            seconds: Double(environment["CAPSTAN_FUZZ_TIMEOUT"] ?? "") ?? 20,
            residentBytes: (Int(environment["CAPSTAN_FUZZ_MEMORY_MB"] ?? "") ?? 512) << 20)
        /// Templates at sizes that still crash the templating engine (see `FuzzMutator.stress`).
        var templateStress = environment["CAPSTAN_FUZZ_TEMPLATE_STRESS"] == "1"
        var kinds: [FuzzKind] = {
            guard let list = environment["CAPSTAN_FUZZ_KINDS"], list != "all" else { return FuzzKind.generated }
            return list.split(separator: ",").compactMap { FuzzKind(rawValue: String($0)) }
                .filter(FuzzKind.generated.contains)
        }()
    }

    @Test func regressionsStayFixed() throws {
        let settings = Settings()
        var folders = [Self.root.appendingPathComponent("regressions")]
        // Inputs whose fix lives in another part of the engine wait here until that fix is merged.
        if Self.environment["CAPSTAN_FUZZ_PENDING"] == "1" {
            folders.append(Self.root.appendingPathComponent("regressions/pending"))
        }
        var count = 0
        for folder in folders {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            for name in names {
                guard let fuzzCase = try FuzzCase.regression(at: folder.appendingPathComponent(name)) else { continue }
                let outcome = try Self.run(fuzzCase, limits: settings.limits)
                #expect(
                    outcome.verdict.isAccepted, "regression \(name): \(outcome.verdict)\n\(outcome.err.suffix(800))")
                count += 1
            }
        }
        #expect(count >= 10)
    }

    @Test func mutatedInputsNeitherCrashNorHang() throws {
        let settings = Settings()
        let corpus = try Self.corpus()
        let start = Date()
        var ran = 0
        var failures: [String] = []
        var slowest = (seconds: 0.0, name: "")
        var peak = (bytes: 0, name: "")
        for index in 0..<settings.cases {
            if Date().timeIntervalSince(start) > settings.seconds { break }
            let kind = settings.kinds[index % settings.kinds.count]
            guard let seeds = corpus[kind.corpusFolder], !seeds.isEmpty else { continue }
            var mutator = FuzzMutator(
                random: SplitMix64(seed: settings.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15),
                tokens: Self.tokens(kind), donors: seeds.map(\.bytes))
            mutator.stress = kind != .template || settings.templateStress
            let seed = seeds[mutator.int(seeds.count)]
            let ext = (seed.name as NSString).pathExtension
            let main = FuzzCase.mainFile(kind, ext: ext.isEmpty ? "ini" : ext)
            let fuzzCase = FuzzCase(kind: kind, mainFile: main, files: [main: mutator.mutate(seed.bytes, kind: kind)])
            let outcome = try Self.run(fuzzCase, limits: settings.limits)
            ran += 1
            let name = "\(kind.rawValue)-s\(settings.seed)-c\(index)"
            if outcome.seconds > slowest.seconds { slowest = (outcome.seconds, name) }
            if outcome.peakResidentBytes > peak.bytes { peak = (outcome.peakResidentBytes, name) }
            if !outcome.verdict.isAccepted {
                let saved = try Self.save(fuzzCase, name: name, outcome: outcome)
                failures.append("\(name) (from \(seed.name)): \(outcome.verdict), saved in \(saved)")
            }
        }
        print(
            "fuzz: \(ran) cases with seed \(settings.seed) in \(Int(Date().timeIntervalSince(start))) s; "
                + "slowest \(slowest.name) \(String(format: "%.2f", slowest.seconds)) s; "
                + "peak memory \(peak.name) \(peak.bytes >> 20) MB; \(failures.count) failures")
        #expect(ran > 0)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    /// Writes the case in a fresh folder, runs it, and removes the folder.
    static func run(_ fuzzCase: FuzzCase, limits: FuzzProcess.Limits) throws -> FuzzProcess.Outcome {
        let folder = TestScratch.directory + "/capstan-fuzz-case-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try fuzzCase.write(to: folder)
        var outcome = try FuzzProcess.run(fuzzCase.arguments(in: folder), limits: limits)
        outcome.err = outcome.err.replacingOccurrences(of: folder, with: "DIR")
        return outcome
    }

    /// Keeps a failing case under `.build/fuzz-failures/NAME/`, ready to copy into `Tests/fuzz/regressions/`.
    static func save(_ fuzzCase: FuzzCase, name: String, outcome: FuzzProcess.Outcome) throws -> String {
        let folder = Fixtures.packageRoot.appendingPathComponent(".build/fuzz-failures/\(name)").path
        try? FileManager.default.removeItem(atPath: folder)
        try fuzzCase.write(to: folder)
        let note = """
            verdict: \(outcome.verdict)
            command: capstan \(fuzzCase.arguments(in: "DIR").joined(separator: " "))
            stderr (end):
            \(outcome.err.suffix(2000))

            """
        try note.write(toFile: folder + "/_failure.txt", atomically: true, encoding: .utf8)
        return folder
    }

    /// Seed inputs by corpus folder.
    static func corpus() throws -> [String: [(name: String, bytes: [UInt8])]] {
        var result: [String: [(name: String, bytes: [UInt8])]] = [:]
        let base = root.appendingPathComponent("corpus")
        for folder in try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() {
            let dir = base.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
                let bytes = Array(try Data(contentsOf: dir.appendingPathComponent(name)))
                result[folder, default: []].append((name, bytes))
            }
        }
        return result
    }

    static func tokens(_ kind: FuzzKind) -> [String] {
        switch kind {
        case .inventory: return FuzzMutator.iniTokens + FuzzMutator.yamlTokens
        case .syntax, .tasks, .play: return FuzzMutator.yamlTokens + FuzzMutator.jinjaTokens
        case .template: return FuzzMutator.jinjaTokens
        }
    }
}
