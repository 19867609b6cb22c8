import CapstanTestSupport
import Foundation
import Testing

/// `lab down` stops every helper process the lab's scripts started: brings a lab of its own up
/// (one node), serves it the kube doubles (an HTTP server, and gpg for the repository's signing key),
/// brings it down, and looks for any process whose command line names the lab dir.
@Suite(.serialized) struct LabTeardownTests {
    let lab = LabNodes.Lab.teardown

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["CAPSTAN_LAB_DIR"] = lab.directory
        env["CAPSTAN_LAB_BRIDGE"] = lab.bridge
        env["CAPSTAN_LAB_SUBNET"] = lab.subnet
        env["CAPSTAN_LAB_TIMEOUT"] = env["CAPSTAN_LAB_TIMEOUT"] ?? "180"
        return env
    }

    func script(_ path: String, _ arguments: [String]) throws -> SpawnedProcess.Outcome {
        try SpawnedProcess.run(
            "/bin/bash", [Fixtures.packageRoot.appendingPathComponent(path).path] + arguments,
            environment: environment)
    }

    @Test func labDownStopsTheKubeDoublesServerAndItsGpgAgent() throws {
        let up = try script("Tests/lab/lab", ["up", "1"])
        #expect(up.status == 0, "\(up.out)\(up.err)")
        defer { _ = try? script("Tests/lab/lab", ["down"]) }
        // A fresh build, so that gpg makes and uses the repository's key (and starts its agent).
        try? FileManager.default.removeItem(atPath: lab.directory + "/kube-doubles")
        let serve = try script("Tests/kube-doubles/serve", ["start"])
        try #require(serve.status == 0, "\(serve.out)\(serve.err)")
        #expect(!HostProcesses.matching(lab.directory + "/kube-doubles").isEmpty, "serve started no server")
        #expect(FileManager.default.fileExists(atPath: lab.directory + "/helpers/kube-doubles"))

        let down = try script("Tests/lab/lab", ["down"])
        #expect(down.status == 0, "\(down.out)\(down.err)")
        let left = HostProcesses.remaining(lab.directory)
        #expect(left.isEmpty, "left running after lab down: \(left)")
        #expect(!FileManager.default.fileExists(atPath: lab.directory + "/helpers"))
        #expect(!FileManager.default.fileExists(atPath: lab.directory + "/group_vars/all/kube-doubles.yml"))
    }

    @Test func serveStopLeavesNoGpgAgent() throws {
        let up = try script("Tests/lab/lab", ["up", "1"])
        #expect(up.status == 0, "\(up.out)\(up.err)")
        defer { _ = try? script("Tests/lab/lab", ["down"]) }
        try? FileManager.default.removeItem(atPath: lab.directory + "/kube-doubles")
        #expect(try script("Tests/kube-doubles/serve", ["start"]).status == 0)
        #expect(try script("Tests/kube-doubles/serve", ["stop"]).status == 0)
        let left = HostProcesses.remaining(lab.directory + "/kube-doubles")
        #expect(left.isEmpty, "left running after serve stop: \(left)")
    }
}
