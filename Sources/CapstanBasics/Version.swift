/// Capstan's release, printed by `capstan --version`.
public enum CapstanVersion {
    public static let current = "0.1.0"
}
