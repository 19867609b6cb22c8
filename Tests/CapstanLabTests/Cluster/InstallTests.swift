import CapstanTestSupport
import Foundation
import Testing

/// The install path: `make install-files` with the debug binary these tests run (a release build takes
/// many minutes) into a temporary PREFIX, then the installed `capstan` run from outside the checkout
/// finds the installed playbooks and roles; `make -n install` shows the release build it starts.
@Suite struct InstallTests {
    @Test func theInstalledBinaryFindsTheInstalledPlaybooksFromAnyDirectory() throws {
        let root = TestScratch.directory + "/capstan-install-\(UUID().uuidString)"
        let prefix = root + "/prefix"
        let elsewhere = root + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let make = try SpawnedProcess.run(
            "/usr/bin/make",
            ["-C", Fixtures.packageRoot.path, "install-files", "PREFIX=\(prefix)", "BINARY=\(CapstanBinary.path)"])
        #expect(make.status == 0, "\(make.out)\(make.err)")
        let installed = prefix + "/bin/capstan"
        let version = try SpawnedProcess.run(installed, ["--version"])
        #expect(version.status == 0 && !version.out.isEmpty, "\(version.err)")
        #expect(
            FileManager.default.fileExists(atPath: prefix + "/share/capstan/playbooks/roles/preflight/tasks/main.yml"))

        // An inventory with no host: every play of the installed cluster.yml is loaded (roles
        // included) and skipped, and the run ends with exit 8.
        try "# no hosts yet\n".write(toFile: elsewhere + "/hosts.ini", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: installed)
        process.arguments = ["cluster", "up", "-i", "hosts.ini", "--no-journal", "--no-lock"]
        process.currentDirectoryURL = URL(fileURLWithPath: elsewhere)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(!errors.contains("no playbooks folder"), "\(errors)")
        #expect(process.terminationStatus == 8, "\(output)\(errors)")
        #expect(output.contains("PLAY [Preflight checks]"), "\(output)")
    }

    @Test func makeInstallBuildsAReleaseFirstDryRun() throws {
        let dry = try SpawnedProcess.run("/usr/bin/make", ["-C", Fixtures.packageRoot.path, "-n", "install"])
        #expect(dry.status == 0, "\(dry.err)")
        #expect(dry.out.contains("swift build -c release --product capstan"), "\(dry.out)")
        #expect(dry.out.contains("install-files BINARY=.build/release/capstan"), "\(dry.out)")
    }
}
