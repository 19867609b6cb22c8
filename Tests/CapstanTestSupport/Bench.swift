import Foundation

/// Speed targets are checked by `bench/` scripts, never by the normal test run: timing assertions
/// inside tests hold only when a bench script sets `CAPSTAN_BENCH=1`.
package enum Bench {
    package static let enabled = ProcessInfo.processInfo.environment["CAPSTAN_BENCH"] == "1"
}
