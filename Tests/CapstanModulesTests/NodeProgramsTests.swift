import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanModules
@testable import CapstanTransport

/// The node-side programs the EmbedNodePrograms plugin compiles in (`NodePrograms`) are the engine's `.sh`
/// files byte for byte, every one of them, and the constants written into them match the Swift side's.
@Suite struct NodeProgramsTests {
    /// The package's folder, found from this file's place in the tree.
    static let package = Fixtures.packageRoot

    /// Every target's embedded programs (each target that has `.sh` files gets its own `NodePrograms`).
    static let all = CapstanTransport.NodePrograms.all + CapstanModules.NodePrograms.all

    @Test func embeddedTextIsTheFileByteForByte() throws {
        #expect(!CapstanTransport.NodePrograms.all.isEmpty)
        #expect(!CapstanModules.NodePrograms.all.isEmpty)
        for (path, text) in Self.all {
            let file = try Data(contentsOf: Self.package.appendingPathComponent(path))
            #expect(Array(text.utf8) == [UInt8](file), "\(path)")
        }
    }

    @Test func everyProgramFileIsEmbedded() throws {
        let sources = Self.package.appendingPathComponent("Sources")
        let walker = try #require(FileManager.default.enumerator(atPath: sources.path))
        let files = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".sh") }
        #expect(Set(files.map { "Sources/" + $0 }) == Set(Self.all.map(\.path)))
    }

    /// shellcheck needs to know each file is POSIX sh (`.ci/run` checks them all).
    @Test func everyProgramDeclaresPosixShell() {
        for (path, text) in Self.all {
            #expect(text.hasPrefix("#!/bin/sh\n") || text.hasPrefix("# shellcheck shell=sh\n"), "\(path)")
        }
    }

    /// The stat format, the ready line's prefix and apt's output markers are written into the programs;
    /// the parsers use the Swift constants.
    @Test func constantsInProgramsMatchTheParsers() {
        let stat = "'" + RemoteFileState.statFormat + "'"
        #expect(CapstanModules.NodePrograms.fileHelpers.components(separatedBy: stat).count == 4)
        #expect(
            CapstanModules.NodePrograms.stat.components(separatedBy: "'" + RemoteFileState.statFormat + "|%b|%o'").count
                == 3)
        #expect(CapstanModules.NodePrograms.linkProbe.contains("'" + RemoteFileState.statFormat + "\n%N'"))
        #expect(
            CapstanTransport.NodePrograms.residentShellPreamble.contains(
                "printf '\(ResidentShellScript.readyPrefix)%s %s\\n'"))
        #expect(CapstanModules.NodePrograms.apt.contains("\"\(AptProgram.stdoutMarker)\""))
        #expect(CapstanModules.NodePrograms.apt.contains("\"\(AptProgram.stderrMarker)\""))
    }

    /// Node programs live in `.sh` files, where shellcheck reads them: no Swift source of the package
    /// holds a multi-line string literal that reads as sh (`then`, `fi`, `done`, `$(`, `|| {`, ...).
    @Test func noSwiftSourceHoldsAMultiLineShellProgram() throws {
        let sources = Self.package.appendingPathComponent("Sources")
        let walker = try #require(FileManager.default.enumerator(atPath: sources.path))
        let files = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 100)
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (line, literal) in Self.multiLineLiterals(text) where Self.readsAsShell(literal) {
                found.append("Sources/\(file):\(line)")
            }
        }
        #expect(found.isEmpty, "multi-line sh in Swift: \(found)")
    }

    /// The multi-line string literals of a Swift source with the line each opens on: an opening `"""`
    /// ends its line (outside a `//` comment), the closing one starts a line.
    static func multiLineLiterals(_ source: String) -> [(Int, String)] {
        var literals: [(Int, String)] = []
        var open: (line: Int, body: [Substring])?
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            if var current = open {
                if trimmed.drop(while: { $0 == "#" }).hasPrefix("\"\"\"") {
                    literals.append((current.line, current.body.joined(separator: "\n")))
                    open = nil
                } else {
                    current.body.append(line)
                    open = current
                }
            } else if !trimmed.hasPrefix("//"), line.trimmingCharacters(in: ["#", " "]).hasSuffix("\"\"\""),
                line.components(separatedBy: "\"\"\"").count == 2
            {
                open = (index + 1, [])
            }
        }
        return literals
    }

    /// Whether text reads as sh: a keyword that closes a compound command, a command substitution, a
    /// grouped fallback or a redirection to /dev/null.
    static func readsAsShell(_ text: String) -> Bool {
        let words = text.split(whereSeparator: { " ;\n\t".contains($0) })
        return words.contains { ["then", "fi", "done", "esac"].contains($0) }
            || ["$(", "|| {", "&& {", ">/dev/null", "2>&1"].contains { text.contains($0) }
    }
}
