import CapstanTestSupport
import Testing

/// The cluster-building shape Capstan's own roles take: role dependencies, blocks with rescue,
/// retries, a templated include, a static import with `when`, handlers by `listen`.
struct KubeLikePlaybookTests {
    @Test func modelOfTheKubePlaybook() throws {
        let pb = try PlaybookFixtures.loadValid("21-kube-like")
        #expect(pb.warnings.isEmpty)
        let play = pb.plays[0]
        #expect(play.serial == [.percent(50)] && play.keywords.anyErrorsFatal == .value(true))
        let node = play.roles[0]
        #expect(node.params == ["kube_role": "control"] && node.role.dependencies.map(\.name) == ["kube_common"])
        #expect(node.role.dependencies[0].role.defaults == ["kube_version": "1.30.2"])
        let packages = try #require(node.role.tasks[0].block)
        #expect(packages.keywords.become == .value(true) && packages.rescue.count == 1)
        let install = try #require(packages.block[2].task)
        #expect(install.action == "apt" && install.loop?.terms == "{{ kube_packages }}")
        #expect(install.retries == .value(3) && install.until.map(\.text) == ["installed is succeeded"])
        guard case .includeTasks(let osSpecific) = node.role.tasks[2] else {
            Issue.record("expected include_tasks")
            return
        }
        #expect(osSpecific.resolvedPath == nil && osSpecific.task.role?.name == "kube_node")
        let kubeadm = try #require(node.role.tasks[3].block)
        #expect(kubeadm.keywords.when.count == 1 && kubeadm.keywords.tags == ["kubeadm"])
        let initialise = try #require(kubeadm.block[1].task)
        #expect(initialise.arguments["creates"] == "/etc/kubernetes/admin.conf")
        #expect(
            initialise.arguments["_raw_params"]?.stringValue?.hasPrefix("kubeadm init --kubernetes-version") == true)
        #expect(initialise.keywords.delegateTo == "{{ groups['kube_control'][0] }}")
        #expect(initialise.location.file.hasSuffix("kube_node/tasks/kubeadm.yml") && initialise.location.line == 5)
        let handler = try #require(node.role.handlers[0].task)
        #expect(handler.action == "systemd_service" && handler.listen == ["containerd config changed"])
        let query = try #require(pb.plays[1].tasks[0].task)
        #expect(query.failedWhen.map(\.text) == ["'ok' not in health.content"])
        #expect(query.keywords.ignoreErrors == .template("{{ ansible_check_mode }}"))
    }
}
