/// The `hardware` group.
public struct HardwareFacts: Sendable, Hashable {
    /// Processors as Ansible counts them.
    public var processor: ProcessorFacts
    /// Memory and swap, in MiB.
    public var memory: MemoryFacts
    /// Mounted block-device and network file systems.
    public var mounts: [MountFacts]
    /// The DMI product UUID, or `NA` when unreadable (not root, no DMI).
    public var productUUID: String
    /// Seconds since boot.
    public var uptimeSeconds: Int
    /// NVIDIA and AMD display/3D controllers.
    public var gpus: [GPU]
}

/// Processor counts from `/proc/cpuinfo`, computed the way Ansible's Linux hardware collector does.
public struct ProcessorFacts: Sendable, Hashable {
    /// Ansible's `ansible_processor`: for each CPU, its index, vendor and model, as listed.
    public var entries: [String]
    /// Sockets.
    public var count: Int
    /// Cores per socket.
    public var cores: Int
    /// Threads per core.
    public var threadsPerCore: Int
    /// Logical processors the machine has.
    public var vcpus: Int
    /// Logical processors this process may run on (`nproc`).
    public var nproc: Int
}

/// Memory and swap, in MiB (`kB / 1024`, rounded down).
public struct MemoryFacts: Sendable, Hashable {
    /// `MemTotal` and `MemFree`.
    public var totalMB: Int, freeMB: Int
    /// `SwapTotal` and `SwapFree`; both 0 without swap.
    public var swapTotalMB: Int, swapFreeMB: Int
}

/// One mounted file system.
public struct MountFacts: Sendable, Hashable {
    /// The mount point.
    public var mount: String
    /// The device (`/dev/sda1`, `server:/export`).
    public var device: String
    /// `ext4`, `nfs4`, ...
    public var fstype: String
    /// The mount options as the mount table lists them.
    public var options: String
    /// The fifth and sixth fields of the mount table.
    public var dump: Int, passno: Int
    /// Space and inodes, from `statvfs`; `nil` when it could not be read.
    public var usage: FileSystemUsage?
}

/// `statvfs` figures for a mounted file system, named as Ansible names them.
public struct FileSystemUsage: Sendable, Hashable {
    /// `f_frsize`, the unit of the block counts.
    public var fragmentSize: Int
    /// `f_bsize`.
    public var blockSize: Int
    /// `f_blocks`.
    public var blockTotal: Int
    /// Blocks available to unprivileged users (`f_bavail`).
    public var blockAvailable: Int
    /// `f_files` and `f_ffree`.
    public var inodeTotal: Int, inodeAvailable: Int

    /// Bytes in the file system.
    public var sizeTotal: Int { fragmentSize * blockTotal }
    /// Bytes available to unprivileged users.
    public var sizeAvailable: Int { fragmentSize * blockAvailable }
}

/// A GPU found on the PCI bus.
public struct GPU: Sendable, Hashable {
    /// Who made it.
    public enum Vendor: String, Sendable, Hashable {
        /// PCI vendor 0x10de.
        case nvidia
        /// PCI vendor 0x1002.
        case amd
    }
    /// Who made it.
    public var vendor: Vendor
    /// `0000:01:00.0`.
    public var pciAddress: String
    /// The PCI device id (`0x2204`).
    public var deviceID: String
    /// The model `lspci` names, or `nil` without lspci.
    public var model: String?
    /// The bound kernel driver (`nvidia`, `amdgpu`, `vfio-pci`), or `nil` when none is bound.
    public var driver: String?
}

/// The `virtual` group, as Ansible's Linux virtualization collector decides it.
public struct VirtualizationFacts: Sendable, Hashable {
    /// `container`, `docker`, `lxc`, `kvm`, ... or `NA`.
    public var type: String
    /// `guest`, `host` or `NA`.
    public var role: String
    /// Every technology this host runs inside.
    public var guestTech: [String]
    /// Every technology this host provides.
    public var hostTech: [String]
}
