import CapstanBasics
import CapstanTransport
import Foundation

/// One changing run at a time per inventory, as k0sctl locks a cluster: two runs changing the same
/// hosts at once would interleave their changes (two apt runs, two `kubeadm join`s). `capstan play` and
/// the cluster verbs take it; `--check` runs, ad-hoc commands and listings do not; `--no-lock` runs
/// anyway. It is an `flock` on a file in Capstan's runtime folder named after the inventory sources'
/// real paths, so the kernel releases it whenever the process ends, however it ends.
public final class InventoryLock: @unchecked Sendable {
    private var descriptor: Int32?

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { release() }

    /// Takes the lock of `sources` for `command` (recorded in the lock file for whoever finds it taken).
    /// Returns nil, with a warning, when the runtime folder cannot be used: a run is never refused for
    /// want of a lock file. Throws `InventoryLocked` when another process holds it.
    public static func acquire(
        sources: [String], command: String, directory: String? = PersistKeeper.runtimeDirectory,
        warnings: inout [Warning]
    ) throws -> InventoryLock? {
        let path = directory.map { $0 + "/inventory-" + key(sources) + ".lock" }
        guard let path else {
            warnings.append(Warning("no runtime folder for the inventory lock: this run is not locked"))
            return nil
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            warnings.append(Warning("cannot open the inventory lock \(path): \(String(cString: strerror(errno)))"))
            return nil
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            close(fd)
            throw InventoryLocked(inventory: sources.joined(separator: ","), holder: holder, lockFile: path)
        }
        let record = "pid \(getpid()), since \(ISO8601DateFormatter().string(from: Date())): \(command)"
        _ = ftruncate(fd, 0)
        _ = record.withCString { write(fd, $0, strlen($0)) }
        return InventoryLock(descriptor: fd)
    }

    /// Gives the lock up (also done when the object goes, or the process ends).
    public func release() {
        guard let descriptor else { return }
        _ = ftruncate(descriptor, 0)
        close(descriptor)
        self.descriptor = nil
    }

    /// The lock file's name part: a digest of the sources' real paths (a host list as written).
    static func key(_ sources: [String]) -> String {
        let resolved = sources.map { source -> String in
            guard let real = realpath(source, nil) else { return source }
            defer { free(real) }
            return String(cString: real)
        }
        let digest = Digest.sha256(Array(resolved.sorted().joined(separator: "\n").utf8))
        return String(Digest.hex(digest).prefix(16))
    }
}

/// Another run holds the inventory's lock.
public struct InventoryLocked: Error, CustomStringConvertible {
    /// The inventory sources, as given.
    public var inventory: String
    /// What the holder wrote: its PID, start time and command.
    public var holder: String
    /// The lock file.
    public var lockFile: String

    public var description: String {
        "another capstan run is changing the hosts of inventory \(inventory)"
            + (holder.isEmpty ? "" : " (\(holder))")
            + "; wait for it to end, or pass --no-lock to run anyway (lock: \(lockFile))"
    }
}
