import CapstanTestSupport
import Testing

@testable import CapstanBasics
@testable import CapstanInventory
@testable import CapstanTransport

/// Connection settings read from merged host variables, and secrets that never print.
struct ConnectionSettingsTests {
    @Test func seedHostsConnectAsWritten() throws {
        let inventory = try InventoryFixtures.load("seed", sources: ["hosts.ini"])
        let settings = inventory.connectionSettings(for: Host(name: "localnode-2"))
        #expect(settings.address == "10.142.18.192")
        #expect(settings.port == 22)
        #expect(settings.user == "root")
        #expect(settings.privateKeyFile == "./deploy.key")
        #expect(settings.connection == "ssh")
        #expect(settings.resolvedPrivateKeyFile(relativeTo: "/srv/inv") == "/srv/inv/deploy.key")
    }

    @Test func aliasesDefaultsAndSecrets() {
        let settings = ConnectionSettings(
            hostName: "n1",
            variables: [
                "ansible_ssh_port": "2222", "ansible_ssh_user": "ops", "ansible_ssh_pass": "hunter2",
                "ansible_become": "yes", "ansible_become_pass": "s3cret",
            ])
        #expect(settings.address == "n1")
        #expect(settings.port == 2222)
        #expect(settings.user == "ops")
        #expect(settings.password?.value == "hunter2")
        #expect(settings.become)
        #expect(settings.becomeMethod == "sudo")
        #expect(settings.becomeUser == "root")
        #expect(settings.becomePassword?.value == "s3cret")
        #expect(!"\(settings)".contains("hunter2"))
        #expect(!"\(settings)".contains("s3cret"))
    }

    @Test func secretPrintsStars() {
        let secret = Secret("p4ss")
        #expect("\(secret)" == "***")
        #expect(String(reflecting: secret) == "***")
        #expect(secret.value == "p4ss")
    }

    @Test func playbookVarsOverrideInventoryVarsButNotHostVars() throws {
        let inventory = try InventoryFixtures.load(
            "playbook-dir", sources: ["inventory/hosts.ini"], playbookDir: "playbook")
        let w1 = inventory.variables(for: Host(name: "w1"))
        let w2 = inventory.variables(for: Host(name: "w2"))
        #expect(w1["x"] == "inv_host")
        #expect(w2["x"] == "play_web")
        #expect(w1["shared_all"] == "play")
        #expect(w1["shared_host"] == "play")
    }

    @Test func magicVariables() throws {
        let inventory = try InventoryFixtures.load("seed", sources: ["hosts.ini"])
        let magic = inventory.magicVariables(for: Host(name: "localnode-1"))
        #expect(magic["inventory_hostname"] == "localnode-1")
        #expect(magic["group_names"] == ["k8s-cluster", "kube-master"])
    }
}
