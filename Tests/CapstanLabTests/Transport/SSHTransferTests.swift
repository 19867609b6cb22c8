import Foundation
import Testing

@testable import CapstanTransport

/// File transfer over SFTP and, without an SFTP subsystem, over exec channels. The server is on this
/// machine, so the files it wrote are checked on the local disk.
@Suite struct SSHTransferTests {
    /// Every byte value, then pseudo-random bytes: 3 MiB, more than twenty SFTP chunks.
    static let payload: [UInt8] = {
        var state: UInt32 = 2_463_534_242
        return (0..<256).map { UInt8($0) }
            + (0..<(3 << 20)).map { _ in
                state ^= state << 13
                state ^= state >> 17
                state ^= state << 5
                return UInt8(truncatingIfNeeded: state)
            }
    }()

    private func roundTrip(sftp: Bool) async throws {
        let server = try LoopbackSSHD(sftp: sftp)
        let connection = SSHConnection(endpoint: server.endpoint())
        let target = server.directory + "/uploaded.bin"
        try "old contents".write(toFile: target, atomically: true, encoding: .utf8)
        try await connection.put(
            Self.payload, to: target, attributes: FileAttributes(mode: 0o640, owner: "nobody", group: "nogroup"),
            options: CommandOptions())
        let written = try FileManager.default.attributesOfItem(atPath: target)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data(Self.payload))
        #expect((written[.posixPermissions] as? Int) == 0o640)
        #expect((written[.ownerAccountName] as? String) == "nobody")
        #expect((written[.groupOwnerAccountName] as? String) == "nogroup")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: server.directory).filter {
            $0.contains(".capstan-")
        }
        #expect(leftovers.isEmpty)
        #expect(try await connection.get(target) == Self.payload)
        await #expect(throws: ConnectionError.self) { try await connection.get(server.directory + "/missing") }
        await connection.close()
    }

    @Test func sftpUploadAndDownloadAreBinarySafeWithModeAndOwner() async throws {
        try await roundTrip(sftp: true)
    }

    @Test func execFallbackWithoutSftpSubsystem() async throws {
        try await roundTrip(sftp: false)
    }

    @Test func uploadIntoMissingDirectoryFailsWithTransferError() async throws {
        let server = try LoopbackSSHD()
        let connection = SSHConnection(endpoint: server.endpoint())
        do {
            try await connection.put([1, 2, 3], to: server.directory + "/no/such/dir/file")
            Issue.record("upload into a missing directory succeeded")
        } catch let error as ConnectionError {
            guard case .transferFailed(_, _, let detail) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(detail.contains("no such file"))
        }
        await connection.close()
    }
}
