import CLibSSH

/// A connected session as jobs on the session thread see it, with its SFTP subsystem opened lazily.
final class SSHSessionContext {
    /// The libssh session.
    let session: OpaquePointer
    /// The inventory host, for messages.
    let host: String
    private var sftp: sftp_session?
    private var sftpUnavailable = false

    init(session: OpaquePointer, host: String) {
        self.session = session
        self.host = host
    }

    /// The SFTP session, started on first use; `nil` when the server has no SFTP subsystem.
    func sftpSession() -> sftp_session? {
        if let sftp { return sftp }
        if sftpUnavailable { return nil }
        guard let opened = sftp_new(session) else {
            sftpUnavailable = true
            return nil
        }
        guard sftp_init(opened) == SSH_OK else {
            sftp_free(opened)
            sftpUnavailable = true
            return nil
        }
        sftp = opened
        return opened
    }

    /// Ends SFTP and the session.
    func close() {
        if let sftp { sftp_free(sftp) }
        sftp = nil
        ssh_disconnect(session)
        ssh_free(session)
    }
}
