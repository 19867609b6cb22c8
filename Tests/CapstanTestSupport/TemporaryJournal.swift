import Foundation

/// A journal path in a folder of its own under the temporary directory, for tests that open journals.
package enum TemporaryJournal {
    package static func path() -> String {
        TestScratch.directory + "/capstan-journal-\(UUID().uuidString)/journal.sqlite"
    }
}
