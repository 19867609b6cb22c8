import CapstanTestSupport
import Foundation
import Testing

@testable import CapstanExecution

/// `capstan play` on the lab: loops, handlers, blocks, strategies, serial, delegation.
extension PlaybookLabTests {
    @Suite struct Flow {
        @Test func loopsRegisterAndOmit() throws {
            let run = try PlayHarness.play("loops.yml")
            #expect(run.status == 0, "\(run.err)")
            #expect(run.messages("show loop results")["node-01"] == "['one', '-', 'three'] False 3")
            #expect(run.messages("with_dict and loop_control")["node-02"] == "0:a=1")
            #expect(run.messages("show flattened")["node-03"] == [1, 2, 3])
            #expect(run.messages("show sequence")["node-01"] == ["1/3", "2/2", "3/1"])
            #expect(run.messages("show omit")["node-01"] == "omitted")
            #expect(run.messages("show environment")["node-02"] == "from-play task-node-02")
            #expect(
                run.messages("show hostvars")["node-01"]
                    == "hello from node-02 ['node-01', 'node-02', 'node-03']")
            let items = run.results("register a loop").filter { $0["host"] == "node-01" }
            #expect(items.map { $0["item"]?.stringValue } == ["one", "two", "three"])
            #expect(items[1]["status"] == "skipped")
        }

        @Test func handlersRunOnceInDefinitionOrderOnNotifyingHosts() throws {
            let run = try PlayHarness.play("handlers.yml")
            #expect(run.status == 0, "\(run.err)")
            let handlers = run.events.filter { $0["event"] == "task_start" && $0["handler"] == true }
                .compactMap { $0["name"]?.stringValue }
            #expect(handlers == ["first handler", "second handler", "listener", "node handler"])
            #expect(run.hosts("second handler").count == 3)
            #expect(run.hosts("node handler") == ["node-02"])
            #expect(!run.taskNames.contains("never runs"))
            let names = run.taskNames
            #expect(names.firstIndex(of: "listener")! < names.firstIndex(of: "unchanged notifies nothing")!)
            #expect(names.firstIndex(of: "node handler")! > names.firstIndex(of: "only node-02 notifies")!)
        }

        @Test func rescueAndAlwaysWithRecapCounts() throws {
            let run = try PlayHarness.play("blocks.yml")
            #expect(run.status == 2)
            #expect(run.hosts("after the failure").sorted() == ["node-02", "node-03"])
            #expect(run.messages("rescue")["node-01"] == "rescued fails on node-01 rc=1")
            #expect(run.hosts("rescue") == ["node-01"])
            #expect(run.hosts("always").sorted() == ["node-01", "node-02", "node-03"])
            #expect(run.hosts("always after failure").sorted() == ["node-01", "node-02", "node-03"])
            #expect(run.hosts("later task").sorted() == ["node-01", "node-03"])
            #expect(run.hosts("second play").sorted() == ["node-01", "node-03"])
            #expect(run.recap("node-01")?["rescued"] == 1)
            #expect(run.recap("node-01")?["failed"] == 0)
            #expect(run.recap("node-02")?["failed"] == 1)
        }

        @Test func linearWaitsForEveryHostFreeDoesNot() throws {
            let linear = try PlayHarness.play("strategy.yml", ["-e", "which=linear"])
            #expect(linear.status == 0, "\(linear.err)")
            let order = linear.results().map { "\($0["host"]!.stringValue!)" }
            #expect(order.prefix(3).sorted() == ["node-01", "node-02", "node-03"])
            let free = try PlayHarness.play("strategy.yml", ["-e", "which=free"])
            #expect(free.status == 0, "\(free.err)")
            let freeOrder = free.results().map { $0["host"]!.stringValue! }
            // The slow host's first result comes after the fast hosts finished both tasks.
            let slowFirst = freeOrder.firstIndex(of: "node-01")!
            #expect(freeOrder.prefix(slowFirst).count == 4, "\(freeOrder)")
        }

        @Test func serialBatchesRunThePlayBatchByBatch() throws {
            let run = try PlayHarness.play("serial.yml")
            #expect(run.status == 0, "\(run.err)")
            let order = run.results().map { "\($0["host"]!.stringValue!)" }
            #expect(Array(order.prefix(2)) == ["node-01", "node-01"])
            #expect(Set(order.dropFirst(2)) == ["node-02", "node-03"])
            #expect(run.taskNames == ["one", "two", "one", "two"])
        }

        @Test func delegateToRunsOnTheDelegateWithTheHostsVariables() throws {
            let nodes = try LabNodes.up(3)
            try LabNodes.exec(nodes[0], "rm -f /tmp/capstan-delegate-marker")
            let run = try PlayHarness.play("delegate.yml")
            #expect(run.status == 0, "\(run.err)")
            #expect(run.messages("show delegated") == ["node-02": "node-01", "node-03": "node-01"])
            let marker = try LabNodes.exec(nodes[0], "sort /tmp/capstan-delegate-marker").output
            #expect(marker == "node-02\nnode-03\n")
            #expect(run.results("delegated write").allSatisfy { $0["delegated_to"] == "node-01" })
            #expect(run.hosts("once") == ["node-02"])
            #expect(run.messages("show once") == ["node-02": "once-node-02", "node-03": "once-node-02"])
            let controller = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
            #expect(run.messages("show controller")["node-02"]?.stringValue?.hasPrefix("node-02 via ") == true)
            #expect(run.messages("show controller")["node-03"] != "node-03 via node-01")
            #expect(run.results("on the controller").allSatisfy { $0["delegated_to"] == "localhost" }, "\(controller)")
        }

        @Test func includeTasksTagsAndEndHost() throws {
            let run = try PlayHarness.play("includes.yml")
            #expect(run.status == 0, "\(run.err)")
            #expect(run.events.contains { $0["event"] == "included" })
            #expect(run.messages("inside include")["node-01"] == "included included")
            #expect(run.results("greet : greet").first?["result"]?["msg"] == "from-include greet nobody", "\(run.out)")
            #expect(run.results("greet : greet").last?["result"]?["msg"] == "default-greeting greet param")
            #expect(!run.taskNames.contains("after end_host"))
            let tagged = try PlayHarness.play("includes.yml", ["--tags", "special"])
            #expect(tagged.taskNames == ["tags only"], "\(tagged.out)")
            let skipped = try PlayHarness.play("includes.yml", ["--skip-tags", "special"])
            #expect(!skipped.taskNames.contains("tags only"))
        }

        @Test func startAtTaskSkipsEverythingBefore() throws {
            let run = try PlayHarness.play("serial.yml", ["--start-at-task", "two"])
            #expect(run.status == 0, "\(run.err)")
            // As in Ansible, only the first batch starts at the task; later batches run every task.
            #expect(run.taskNames == ["two", "one", "two"])
            let pattern = try PlayHarness.play("serial.yml", ["--start-at-task", "t*"])
            #expect(pattern.taskNames == ["two", "one", "two"])
        }

        @Test func taskTimeoutAndUndefinedVariablesFailWithTheirMessages() throws {
            let run = try PlayHarness.play("errors.yml")
            #expect(run.status == 2)
            let slow = run.results("too slow").first
            #expect(slow?["result"]?["msg"] == "The task execution exceeded the timeout of 1 seconds.")
            #expect(slow?["ignored"] == true)
            let undefined = run.results("undefined variable").first?["result"]?["msg"]?.stringValue ?? ""
            #expect(undefined.contains("The task includes an option with an undefined variable"))
            #expect(undefined.contains("no_such_variable"))
            #expect(undefined.contains("errors.yml': line 8, column 7"), "\(undefined)")
            let bad = run.results("bad module arguments").first?["result"]
            #expect(bad?["msg"]?.stringValue?.contains("Unsupported parameters for (command) module: bogus") == true)
            #expect(bad?["location"]?.stringValue?.hasSuffix("errors.yml:12:7") == true, "\(String(describing: bad))")
        }

        @Test func listHostsNamesEachPlaysHosts() throws {
            _ = try LabNodes.up(3)
            let result = try CapstanBinary.run(
                [
                    "play", "-i", LabNodes.inventoryPath, "--list-hosts", "-l", "node-02,node-03",
                    PlayHarness.fixture("delegate.yml"),
                ])
            #expect(result.status == 0, "\(result.err)")
            #expect(result.out.contains("    hosts (2):\n      node-02\n      node-03\n"), "\(result.out)")
        }

        @Test func becomeIsInheritedFromPlayAndBlock() throws {
            let run = try PlayHarness.play("become.yml")
            #expect(run.status == 0, "\(run.out)")
            #expect(run.messages("show users")["node-01"] == "root nobody root")
        }
    }
}
