import CLibSSH

/// Typed setters and getters over `ssh_options_set`/`ssh_options_get`, which take untyped pointers.
enum SSHSessionOptions {
    /// Sets a string option.
    static func set(_ session: OpaquePointer, _ option: ssh_options_e, _ value: String) -> Bool {
        value.withCString { ssh_options_set(session, option, $0) } == SSH_OK
    }

    /// Sets an option libssh reads as `int`.
    static func set(_ session: OpaquePointer, _ option: ssh_options_e, int value: Int32) -> Bool {
        var value = value
        return ssh_options_set(session, option, &value) == SSH_OK
    }

    /// Sets an option libssh reads as `unsigned int` (the port).
    static func set(_ session: OpaquePointer, _ option: ssh_options_e, unsigned value: UInt32) -> Bool {
        var value = value
        return ssh_options_set(session, option, &value) == SSH_OK
    }

    /// Sets an option libssh reads as `long` (timeouts).
    static func set(_ session: OpaquePointer, _ option: ssh_options_e, long value: Int) -> Bool {
        var value = value
        return ssh_options_set(session, option, &value) == SSH_OK
    }

    /// Sets an option libssh reads as `bool`.
    static func set(_ session: OpaquePointer, _ option: ssh_options_e, bool value: Bool) -> Bool {
        var value = value
        return ssh_options_set(session, option, &value) == SSH_OK
    }

    /// Reads a string option as libssh resolved it (after the config and `%d`-style expansion).
    static func string(_ session: OpaquePointer, _ option: ssh_options_e) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard ssh_options_get(session, option, &value) == SSH_OK, let value else { return nil }
        defer { ssh_string_free_char(value) }
        return String(cString: value)
    }

    /// The port libssh will use (or used).
    static func port(_ session: OpaquePointer) -> Int {
        var port: UInt32 = 22
        _ = ssh_options_get_port(session, &port)
        return Int(port)
    }

    /// libssh's last error message for the session.
    static func lastError(_ session: OpaquePointer) -> String {
        String(cString: ssh_get_error(UnsafeMutableRawPointer(session)))
    }
}
