import CLibSSH

/// What a channel's owner hears from libssh while it pumps the session: data, the exit status or
/// signal, and the remote side closing.
protocol SSHChannelEvents: AnyObject {
    func channelData(_ bytes: UnsafeRawBufferPointer, isStderr: Bool)
    func channelExitStatus(_ status: Int32)
    func channelExitSignal(_ name: String)
    func channelClosed()
}

extension SSHChannelEvents {
    func channelExitStatus(_ status: Int32) {}
}

/// libssh's callback table for one channel, routed to its owner. The owner keeps this object and
/// calls `remove` before the channel is freed (libssh holds a pointer to the table until then).
final class SSHChannelCallbacks {
    private let table: UnsafeMutablePointer<ssh_channel_callbacks_struct>
    private let channel: OpaquePointer
    /// Unowned: the owner outlives the table it keeps.
    private unowned let owner: any SSHChannelEvents
    private var installed = true

    init(on channel: OpaquePointer, owner: any SSHChannelEvents) {
        self.channel = channel
        self.owner = owner
        table = .allocate(capacity: 1)
        table.initialize(to: ssh_channel_callbacks_struct())
        table.pointee.size = MemoryLayout<ssh_channel_callbacks_struct>.size
        table.pointee.userdata = Unmanaged.passUnretained(self).toOpaque()
        table.pointee.channel_data_function = { _, _, data, length, isStderr, userdata in
            guard let data, let userdata else { return 0 }
            SSHChannelCallbacks.owner(userdata).channelData(
                UnsafeRawBufferPointer(start: data, count: Int(length)), isStderr: isStderr != 0)
            return Int32(length)
        }
        table.pointee.channel_exit_status_function = { _, _, status, userdata in
            guard let userdata else { return }
            SSHChannelCallbacks.owner(userdata).channelExitStatus(Int32(status))
        }
        // libssh 0.10 has no getter for the signal: ssh_channel_get_exit_status just says -1.
        table.pointee.channel_exit_signal_function = { _, _, signal, _, _, _, userdata in
            guard let userdata else { return }
            SSHChannelCallbacks.owner(userdata).channelExitSignal(signal.map { String(cString: $0) } ?? "UNKNOWN")
        }
        table.pointee.channel_close_function = { _, _, userdata in
            guard let userdata else { return }
            SSHChannelCallbacks.owner(userdata).channelClosed()
        }
        ssh_set_channel_callbacks(channel, table)
    }

    private static func owner(_ userdata: UnsafeMutableRawPointer) -> any SSHChannelEvents {
        Unmanaged<SSHChannelCallbacks>.fromOpaque(userdata).takeUnretainedValue().owner
    }

    /// Takes the table off the channel; call before `ssh_channel_free`.
    func remove() {
        guard installed else { return }
        installed = false
        ssh_remove_channel_callbacks(channel, table)
    }

    deinit {
        remove()
        table.deinitialize(count: 1)
        table.deallocate()
    }
}
