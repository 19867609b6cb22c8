import CapstanTestSupport
import Testing

@testable import CapstanPlaybook

/// Play keywords and `import_playbook`.
struct PlayParsingTests {
    @Test func playKeywords() throws {
        let play = try PlaybookFixtures.loadValid("13-play-keywords").plays[0]
        #expect(play.name == "Play keywords" && play.hosts == ["all"])
        #expect(play.gatherFacts == .value(true) && play.gatherSubset == ["min", "network"])
        #expect(play.keywords.become == .value(true) && play.keywords.becomeUser == "root")
        #expect(play.keywords.becomeMethod == "sudo")
        #expect(play.serial == [.count(1), .percent(30)] && play.strategy == "free")
        #expect(play.maxFailPercentage == .value(20) && play.order == "sorted")
        #expect(play.keywords.port == .value(2222) && play.keywords.remoteUser == "admin")
        #expect(play.keywords.environment == [["PATH": "/usr/bin"]] && play.keywords.moduleDefaults != nil)
        #expect(play.keywords.vars == ["a": 1])
        #expect(play.varsFiles.count == 1)
        #expect(play.varsPrompt.first?.name == "answer" && play.varsPrompt.first?.defaultValue == "42")
        #expect(play.varsPrompt.first?.isPrivate == false)
        #expect(play.keywords.ignoreUnreachable == .value(true) && play.keywords.diff == .value(true))
    }

    @Test func hostsListAndDisplayName() throws {
        let plays = try PlaybookFixtures.loadValid("02-multiple-plays").plays
        #expect(plays[1].hosts == ["web", "db"] && plays[1].name == nil && plays[1].displayName == "web,db")
        #expect(plays[2].pattern == "db:!web" && plays[2].gatherFacts == .value(false))
    }

    @Test func importPlaybookAppliesVarsTagsAndWhen() throws {
        let plays = try PlaybookFixtures.loadValid("09-import-playbook").plays
        #expect(plays.count == 6)
        #expect(plays[2].keywords.vars == ["from_import": true])
        #expect(plays[2].keywords.tags == ["play1", "imported_pb"])
        #expect(plays[2].importConditions.map(\.text) == ["True"])
        #expect(plays[0].importConditions.isEmpty)
        #expect(plays[5].baseDirectory.hasSuffix("valid/sub"))
        let inner = try #require(plays[5].tasks[0].block)
        guard case .importTasks(let file) = inner.origin else {
            Issue.record("expected an import block")
            return
        }
        #expect(file.hasSuffix("valid/sub/inner-tasks.yml"))
    }

    @Test func serialForms() throws {
        let pb = try PlaybookInline.load("- hosts: all\n  serial: \"{{ n }}\"\n- hosts: all\n  serial: 2\n")
        #expect(pb.plays[0].serial == [.template("{{ n }}")] && pb.plays[1].serial == [.count(2)])
        let bad = PlaybookInline.error("- hosts: all\n  serial: [x]\n")
        #expect(bad?.location.line == 2 && bad?.location.column == 12)
    }

    @Test func wrongTypesPointAtTheValue() {
        let become = PlaybookInline.error("- hosts: all\n  become: maybe\n")
        #expect(become?.location.line == 2 && become?.location.column == 11)
        let hosts = PlaybookInline.error("- hosts: [web, 3]\n")
        #expect(hosts?.message.hasPrefix("Hosts list contains an invalid host value") == true)
        let when = PlaybookInline.error("- hosts: all\n  when: x\n")
        #expect(when?.message == "'when' is not a valid attribute for a Play")
        let listen = PlaybookInline.error("- hosts: all\n  tasks:\n    - ping:\n      listen: x\n")
        #expect(listen?.message == "'listen' is not a valid attribute for a Task")
        let loop = PlaybookInline.error("- hosts: all\n  tasks:\n    - ping:\n      loop: [1]\n      with_items: [2]\n")
        #expect(loop?.message == "duplicate loop in task: items")
    }

    @Test func tagSelectionFollowsAnsible() {
        let byDefault = TagSelection()
        #expect(byDefault.shouldRun([]) && byDefault.shouldRun(["x"]) && !byDefault.shouldRun(["never", "x"]))
        #expect(byDefault.shouldRun(["never", "always"]))
        let only = TagSelection(only: ["x"])
        #expect(only.shouldRun(["x", "never"]) && !only.shouldRun(["y"]) && only.shouldRun(["always"]))
        #expect(TagSelection(only: ["untagged"]).shouldRun([]))
        #expect(!TagSelection(only: ["tagged"]).shouldRun([]) && TagSelection(only: ["tagged"]).shouldRun(["a"]))
        #expect(!TagSelection(skip: ["a"]).shouldRun(["a", "b"]))
        #expect(TagSelection(skip: ["all"]).shouldRun(["always"]) && !TagSelection(skip: ["all"]).shouldRun([]))
    }
}
