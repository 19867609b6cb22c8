import CapstanBasics

/// File transfer for `SSHConnection`: SFTP when the server has it and no become is asked for,
/// else commands over exec channels (`ExecTransfer`).
extension SSHConnection {
    /// Uploads to a temporary file beside `path` (SFTP, or `cat` when SFTP is missing or become is
    /// set), applies mode and owner, then renames it into place.
    public func put(
        _ contents: [UInt8], to path: String, attributes: FileAttributes, options: CommandOptions
    ) async throws {
        let temporary = TemporaryPath.beside(path)
        if options.become == nil {
            do {
                try await putOverSFTP(
                    SFTPTransfer.chunks(of: contents), to: path, temporary: temporary, attributes: attributes)
                return
            } catch is SFTPTransfer.Unavailable {}
        }
        try await ExecTransfer(connection: self).put(
            contents, to: path, temporary: temporary, attributes: attributes, options: options)
    }

    /// `put` for a controller file, read a chunk at a time as it is sent.
    public func upload(
        from localPath: String, to path: String, attributes: FileAttributes, options: CommandOptions
    ) async throws {
        let temporary = TemporaryPath.beside(path)
        if options.become == nil {
            do {
                try await putOverSFTP(
                    SFTPTransfer.chunks(ofFile: localPath), to: path, temporary: temporary, attributes: attributes)
                return
            } catch is SFTPTransfer.Unavailable {}
        }
        try await ExecTransfer(connection: self).upload(
            from: localPath, to: path, temporary: temporary, attributes: attributes, options: options)
    }

    /// Writes the temporary file over SFTP, then chowns it and renames it into place.
    private func putOverSFTP(
        _ content: @escaping SFTPTransfer.Chunks, to path: String, temporary: String, attributes: FileAttributes
    ) async throws {
        try await onSession { try SFTPTransfer.write(content, to: temporary, mode: attributes.mode, context: $0) }
        var finish: [String] = []
        if let spec = TemporaryPath.chownSpec(attributes) {
            finish.append("chown \(ShellWords.singleQuoted(spec)) \(ShellWords.singleQuoted(temporary))")
        }
        if finish.isEmpty, try await onSession({ try SFTPTransfer.rename(temporary, to: path, context: $0) }) {
            return
        }
        finish.append("mv -f \(ShellWords.singleQuoted(temporary)) \(ShellWords.singleQuoted(path))")
        let result = try await run(finish.joined(separator: " && "))
        guard result.succeeded else {
            try? await onSession { SFTPTransfer.remove(temporary, context: $0) }
            throw ConnectionError.transferFailed(
                host: host, path: path, detail: result.stderrText.trimmingCharacters(in: .newlines))
        }
    }

    /// Reads the file over SFTP, or with `cat` over an exec channel (no SFTP subsystem, or become).
    public func get(_ path: String, options: CommandOptions) async throws -> [UInt8] {
        if options.become == nil {
            do {
                return try await onSession { try SFTPTransfer.read(path, context: $0) }
            } catch is SFTPTransfer.Unavailable {}
        }
        return try await ExecTransfer(connection: self).get(path, options: options)
    }

    /// `get` into a controller file, a chunk at a time.
    public func download(_ path: String, to localPath: String, options: CommandOptions) async throws {
        if options.become == nil {
            do {
                return try await onSession { try SFTPTransfer.read(path, into: localPath, context: $0) }
            } catch is SFTPTransfer.Unavailable {}
        }
        try await ExecTransfer(connection: self).download(path, to: localPath, options: options)
    }
}
