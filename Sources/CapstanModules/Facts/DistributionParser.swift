/// Names the distribution from os-release with Ansible's spellings and families.
enum DistributionParser {
    /// os-release `ID` to Ansible's `ansible_distribution`.
    static let names: [String: String] = [
        "debian": "Debian", "ubuntu": "Ubuntu", "raspbian": "Raspbian", "linuxmint": "Linux Mint",
        "devuan": "Devuan", "kali": "Kali", "pop": "Pop!_OS", "centos": "CentOS", "rhel": "RedHat",
        "fedora": "Fedora", "rocky": "Rocky", "almalinux": "AlmaLinux", "ol": "OracleLinux",
        "amzn": "Amazon", "sles": "SLES", "opensuse-leap": "openSUSE Leap",
        "opensuse-tumbleweed": "openSUSE Tumbleweed", "alpine": "Alpine", "arch": "Archlinux",
        "gentoo": "Gentoo", "flatcar": "Flatcar",
    ]

    /// `ansible_distribution` to `ansible_os_family`, for the distributions named above.
    static let families: [String: String] = [
        "Debian": "Debian", "Ubuntu": "Debian", "Raspbian": "Debian", "Linux Mint": "Debian",
        "Devuan": "Debian", "Kali": "Debian", "Pop!_OS": "Debian", "CentOS": "RedHat", "RedHat": "RedHat",
        "Fedora": "RedHat", "Rocky": "RedHat", "AlmaLinux": "RedHat", "OracleLinux": "RedHat",
        "Amazon": "RedHat", "SLES": "Suse", "openSUSE Leap": "Suse", "openSUSE Tumbleweed": "Suse",
        "Alpine": "Alpine", "Archlinux": "Archlinux", "Gentoo": "Gentoo", "Flatcar": "Flatcar",
    ]

    /// Debian's point release lives in `/etc/debian_version` (`12.11`); os-release only has `12`.
    static func parse(osRelease: [String: String], debianVersion: String?) -> Distribution {
        let id = osRelease["ID"] ?? ""
        let name = names[id] ?? (osRelease["NAME"]?.split(separator: " ").first.map(String.init) ?? "NA")
        var version = osRelease["VERSION_ID"] ?? "NA"
        if name == "Debian", let debianVersion, debianVersion.first?.isNumber == true {
            version = debianVersion
        }
        let parts = version.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let release = osRelease["VERSION_CODENAME"].flatMap { $0.isEmpty ? nil : $0 } ?? "NA"
        return Distribution(
            name: name, version: version, majorVersion: parts[0], minorVersion: parts.count > 1 ? parts[1] : nil,
            release: release, osFamily: families[name] ?? name)
    }
}
