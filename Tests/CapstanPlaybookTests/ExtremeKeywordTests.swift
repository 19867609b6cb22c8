import CapstanTestSupport
import Testing

/// Keyword values at the edges of their types are read or refused, never trapped on (issue 14).
struct ExtremeKeywordTests {
    @Test(arguments: ["'nan%'", "'inf%'", "'-inf%'"])
    func aPercentageThatIsNoNumberIsAnError(_ serial: String) {
        let error = PlaybookInline.error("- hosts: all\n  serial: \(serial)\n  tasks: []\n")
        #expect(error?.message.contains("serial must be a number") == true)
        #expect(error?.location.line == 2)
    }

    @Test func aPercentagePastAHundredIsEveryHost() throws {
        let book = try PlaybookInline.load("- hosts: all\n  serial: ['1e308%', '150%', '30%']\n  tasks: []\n")
        #expect(book.plays[0].serial == [.percent(100), .percent(100), .percent(30)])
    }
}
