/// The sh program behind `apt_repository`. Inputs: src (the normalised source line), state, file
/// (where a new line goes), mode (for a new file), update, retries, check. Reports `changed`, and
/// `added`/`removed` for each sources file that appears or disappears.
enum AptRepositoryProgram {
    static let body = NodePrograms.aptRepository
}
