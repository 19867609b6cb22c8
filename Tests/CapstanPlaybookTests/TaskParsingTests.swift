import CapstanTestSupport
import Testing

/// How tasks are read: actions and arguments, keywords, conditions and loops.
struct TaskParsingTests {
    @Test func freeFormArgumentsAreStrings() throws {
        let tasks = try PlaybookFixtures.loadValid("01-basic").plays[0].tasks.compactMap(\.task)
        #expect(tasks[2].action == "copy")
        #expect(tasks[2].arguments == ["src": "files/a.txt", "dest": "/tmp/a.txt", "mode": "0644"])
        #expect(tasks[1].arguments == ["_raw_params": "uptime"])
        #expect(tasks[3].action == "shell" && tasks[3].actionAsWritten == "ansible.builtin.shell")
        #expect(tasks[3].arguments == ["creates": "/tmp/x", "_raw_params": "echo hi > /tmp/x"])
        #expect(tasks[4].arguments.isEmpty)
        #expect(tasks[0].arguments == ["msg": "hello"])
        #expect(tasks[0].location.line == 6 && tasks[0].location.column == 7)
    }

    @Test func commandKeepsRawWordsButNotItsOptions() throws {
        let pb = try PlaybookInline.load("- hosts: all\n  tasks:\n    - command: echo a=b chdir=/tmp\n")
        #expect(pb.plays[0].tasks[0].task?.arguments == ["chdir": "/tmp", "_raw_params": "echo a=b"])
    }

    @Test func actionFormsAndArgsKeyword() throws {
        let tasks = try PlaybookFixtures.loadValid("12-action-forms").plays[0].tasks.compactMap(\.task)
        #expect(tasks[0].action == "command" && tasks[0].isLocalAction && tasks[0].keywords.delegateTo == "localhost")
        #expect(tasks[0].arguments == ["_raw_params": "echo local"])
        #expect(tasks[1].action == "copy" && tasks[1].arguments == ["content": "x", "dest": "/tmp/y"])
        #expect(tasks[2].action == "file" && tasks[2].arguments == ["path": "/tmp/z", "state": "touch"])
        #expect(tasks[3].action == "file" && tasks[3].actionAsWritten == "ansible.builtin.file")
        #expect(tasks[3].arguments == ["state": "directory", "path": "/tmp/w"])
        #expect(tasks[4].arguments == ["chdir": "/tmp", "_raw_params": "ls -l"])
    }

    @Test func moduleArgumentsOverrideArgsKeyword() throws {
        let pb = try PlaybookInline.load(
            "- hosts: all\n  tasks:\n    - file: path=/a\n      args: {path: /b, state: touch}\n")
        #expect(pb.plays[0].tasks[0].task?.arguments == ["path": "/a", "state": "touch"])
    }

    @Test func collectionPrefixesResolveToShortNames() throws {
        let pb = try PlaybookInline.load(
            """
            - hosts: all
              tasks:
                - ansible.posix.sysctl: {name: a, value: 1}
                - community.general.modprobe: name=br_netfilter
                - kubernetes.core.k8s: {state: present}
                - ansible.legacy.apt: name=curl
            """)
        #expect(pb.plays[0].tasks.compactMap(\.task).map(\.action) == ["sysctl", "modprobe", "k8s", "apt"])
        let error = PlaybookInline.error("- hosts: all\n  tasks:\n    - other.collection.sysctl: {}\n")
        #expect(error?.message.hasPrefix("couldn't resolve module/action 'other.collection.sysctl'") == true)
    }

    @Test func conditionsKeepTextAndBooleansBecomePython() throws {
        let tasks = try PlaybookFixtures.loadValid("16-when").plays[0].tasks.compactMap(\.task)
        #expect(tasks[0].keywords.when.map(\.text) == ["True"])
        #expect(tasks[1].keywords.when.map(\.text) == ["False"])
        #expect(tasks[2].keywords.when.map(\.text) == ["x is defined", "y | bool"])
        #expect(tasks[2].keywords.when[1].location.line == 14)
        #expect(tasks[3].keywords.when.map(\.text) == ["'web' in group_names"])
    }

    @Test func loopsKeepLookupAndTerms() throws {
        let tasks = try PlaybookFixtures.loadValid("05-loops").plays[0].tasks.compactMap(\.task)
        #expect(
            tasks.map { $0.loop?.lookup } == [
                nil, "items", "dict", "together", "sequence", "indexed_items",
                "nested", nil,
            ])
        #expect(tasks[0].loop?.terms == "{{ users }}")
        #expect(tasks[2].loop?.terms == ["a": 1, "b": 2])
        #expect(tasks[4].loop?.terms == "start=1 end=3")
        let control = try #require(tasks[0].loopControl)
        #expect(control.loopVar == "user" && control.indexVar == "idx" && control.label == "{{ user }}")
        #expect(control.pause == .value(1) && control.extended == .value(true))
        #expect(tasks[7].until.map(\.text) == ["result.rc == 0"] && tasks[7].register == "result")
        #expect(tasks[7].retries == .value(3) && tasks[7].delay == .value(2))
    }

    @Test func taskKeywords() throws {
        let t = try #require(try PlaybookFixtures.loadValid("13-play-keywords").plays[0].tasks[0].task)
        #expect(t.keywords.delegateTo == "localhost" && t.keywords.delegateFacts == .value(true))
        #expect(t.keywords.runOnce == .value(true) && t.keywords.noLog == .value(true))
        #expect(t.keywords.timeout == .value(10) && t.keywords.throttle == .value(2))
        #expect(t.keywords.become == .value(false) && t.keywords.vars == ["b": 2])
        #expect(t.keywords.environment == [["X": "y"]] && t.keywords.checkMode == .value(true))
        #expect(t.keywords.ignoreErrors == .value(true) && t.keywords.diff == .value(false))
    }

    @Test func templatedKeywordsAreKeptForTheEngine() throws {
        let pb = try PlaybookInline.load(
            """
            - hosts: all
              tasks:
                - debug: msg=x
                  become: "{{ use_become }}"
                  retries: "{{ n }}"
                  ignore_errors: yes
            """)
        let t = try #require(pb.plays[0].tasks[0].task)
        #expect(t.keywords.become == .template("{{ use_become }}"))
        #expect(t.retries == .template("{{ n }}") && t.keywords.ignoreErrors == .value(true))
    }

    @Test func notifyAndListen() throws {
        let play = try PlaybookFixtures.loadValid("10-pre-post-handlers").plays[0]
        #expect(play.preTasks[0].task?.notify == ["handler one"])
        #expect(play.tasks[0].task?.notify == ["handler one", "group listen"])
        #expect(play.tasks[0].task?.changedWhen.map(\.text) == ["False"])
        #expect(play.handlers[1].task?.listen == ["group listen"])
    }

    @Test func tagsFromStringCommaListAndList() throws {
        let tasks = try PlaybookFixtures.loadValid("03-tags").plays[0].tasks.compactMap(\.task)
        #expect(tasks[0].keywords.tags == ["single"])
        #expect(tasks[1].keywords.tags == ["x", "y", "z"])
        #expect(tasks[2].keywords.tags == ["listed", "42"])
    }

    @Test func duplicateKeysWarn() throws {
        let pb = try PlaybookInline.load("- hosts: all\n  tasks:\n    - name: a\n      name: b\n      ping:\n")
        #expect(pb.plays[0].tasks[0].task?.keywords.name == "b")
        #expect(pb.warnings.count == 1 && pb.warnings[0].location?.line == 4)
    }
}

/// Names as the engine's output shows them.
struct TaskDisplayNameTests {
    @Test func bannerNames() throws {
        let web = try PlaybookFixtures.loadValid("06-roles").plays[0].roles[1].role
        #expect(web.tasks[0].task?.displayName == "web : install web")
        #expect(web.tasks[1].task?.displayName == "web : debug")
        let basic = try PlaybookFixtures.loadValid("01-basic").plays[0].tasks
        #expect(basic[3].task?.displayName == "ansible.builtin.shell" && basic[0].task?.displayName == "say hello")
    }
}
