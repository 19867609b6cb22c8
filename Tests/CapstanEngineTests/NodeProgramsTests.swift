import Foundation
import Testing

@testable import CapstanEngine

/// The node-side programs the EmbedNodePrograms plugin compiles in (`NodePrograms`) are the engine's `.sh`
/// files byte for byte, every one of them, and the constants written into them match the Swift side's.
@Suite struct NodeProgramsTests {
    /// The package's folder, found from this file's place in the tree.
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func embeddedTextIsTheFileByteForByte() throws {
        #expect(!NodePrograms.all.isEmpty)
        for (path, text) in NodePrograms.all {
            let file = try Data(contentsOf: Self.package.appendingPathComponent(path))
            #expect(Array(text.utf8) == [UInt8](file), "\(path)")
        }
    }

    @Test func everyProgramFileIsEmbedded() throws {
        let engine = Self.package.appendingPathComponent("Sources/CapstanEngine")
        let walker = try #require(FileManager.default.enumerator(atPath: engine.path))
        let files = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".sh") }
        #expect(Set(files.map { "Sources/CapstanEngine/" + $0 }) == Set(NodePrograms.all.map(\.path)))
    }

    /// shellcheck needs to know each file is POSIX sh (`.ci/run` checks them all).
    @Test func everyProgramDeclaresPosixShell() {
        for (path, text) in NodePrograms.all {
            #expect(text.hasPrefix("#!/bin/sh\n") || text.hasPrefix("# shellcheck shell=sh\n"), "\(path)")
        }
    }

    /// The stat format, the ready line's prefix and apt's output markers are written into the programs;
    /// the parsers use the Swift constants.
    @Test func constantsInProgramsMatchTheParsers() {
        let stat = "'" + RemoteFileState.statFormat + "'"
        #expect(NodePrograms.fileHelpers.components(separatedBy: stat).count == 4)
        #expect(NodePrograms.stat.components(separatedBy: "'" + RemoteFileState.statFormat + "|%b|%o'").count == 3)
        #expect(NodePrograms.linkProbe.contains("'" + RemoteFileState.statFormat + "\n%N'"))
        #expect(NodePrograms.residentShellPreamble.contains("printf '\(ResidentShellScript.readyPrefix)%s %s\\n'"))
        #expect(NodePrograms.apt.contains("\"\(AptProgram.stdoutMarker)\""))
        #expect(NodePrograms.apt.contains("\"\(AptProgram.stderrMarker)\""))
    }
}
