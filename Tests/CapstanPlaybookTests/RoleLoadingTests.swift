import CapstanTestSupport
import Testing

@testable import CapstanPlaybook

/// Roles: search path, files, meta dependencies, the scope each task carries, and includes.
struct RoleLoadingTests {
    @Test func roleFilesAndScope() throws {
        let play = try PlaybookFixtures.loadValid("06-roles").plays[0]
        let common = play.roles[0].role
        #expect(common.name == "common" && common.path.hasSuffix("valid/roles/common"))
        #expect(common.defaults == ["common_value": "default"] && common.vars == ["common_var": "fixed"])
        #expect(common.templatesPath?.hasSuffix("common/templates") == true)
        #expect(common.filesPath?.hasSuffix("common/files") == true)
        #expect(common.dependencies.map(\.name) == ["base"])
        let task = try #require(common.tasks[0].task)
        // A role's tasks see its dependencies' defaults under its own, as in Ansible (checked with
        // ansible-playbook: a role's task reads a default of the role it depends on).
        #expect(task.role?.name == "common" && task.role?.defaults == ["base_value": 1, "common_value": "default"])
        #expect(task.location.file.hasSuffix("roles/common/tasks/main.yml") && task.location.line == 1)
        let imported = try #require(common.tasks[1].block)
        #expect(imported.keywords.tags == ["extra"])
        #expect(imported.block[0].task?.role?.name == "common")
    }

    @Test func roleReferenceKeywordsAndParams() throws {
        let web = try PlaybookFixtures.loadValid("06-roles").plays[0].roles[1]
        #expect(web.params == ["http_port": 80])
        #expect(web.keywords.vars == ["port": 8080] && web.keywords.tags == ["webtag"])
        #expect(web.keywords.when.map(\.text) == ["True"])
        #expect(web.role.scope.params == ["http_port": 80])
        let dep = web.role.dependencies[0]
        #expect(dep.keywords.vars == ["base_value": 2] && dep.keywords.tags == ["basedep"])
        #expect(dep.role.scope.dependencyChain == ["web"])
        #expect(dep.location.file.hasSuffix("roles/web/meta/main.yml") && dep.location.line == 2)
    }

    @Test func compiledTasksPutDependenciesFirst() throws {
        let play = try PlaybookFixtures.loadValid("06-roles").plays[0]
        let compiled = play.compiledTasks()
        #expect(compiled.count == 3)
        guard case .role(let scope)? = compiled[0].block?.origin else {
            Issue.record("expected a role block")
            return
        }
        #expect(scope.name == "common")
        let first = try #require(compiled[0].block?.block[0].block)
        guard case .role(let depScope) = first.origin else {
            Issue.record("expected the dependency's block first")
            return
        }
        #expect(depScope.name == "base")
    }

    @Test func handlersFromRolesComeFirst() throws {
        let play = try PlaybookFixtures.loadValid("06-roles").plays[0]
        let handlers = play.compiledHandlers().compactMap(\.block).flatMap(\.block)
        let names = handlers.compactMap { $0.task?.keywords.name }
        #expect(names == ["restart common", "reload web"])
        #expect(handlers.compactMap(\.task).last?.listen == ["web changed"])
        let imported = try PlaybookFixtures.loadValid("15-role-paths").plays[0].compiledHandlers()
        #expect(imported.count == 4)
    }

    @Test func rolesByPathAndSearchPath() throws {
        let roles = try PlaybookFixtures.loadValid("15-role-paths").plays[0].roles
        #expect(roles.map(\.name) == ["shared-roles/pathrole", "extrarole", "base"])
        #expect(roles[1].role.path.hasSuffix("playbook/extra-roles/extrarole"))
        #expect(roles[2].keywords.name == nil)
    }

    @Test func includesStayDynamic() throws {
        let tasks = try PlaybookFixtures.loadValid("08-include").plays[0].tasks
        guard case .includeTasks(let plain) = tasks[0], case .includeTasks(let templated) = tasks[1],
            case .includeRole(let role) = tasks[2], case .block(let imported) = tasks[3]
        else {
            Issue.record("unexpected items \(tasks)")
            return
        }
        #expect(plain.file == "tasks/plain.yml" && plain.resolvedPath?.hasSuffix("valid/tasks/plain.yml") == true)
        #expect(templated.resolvedPath == nil && templated.apply == ["tags": "applied"])
        #expect(templated.task.loop?.terms == ["a", "b"])
        #expect(
            role.name == "common" && role.tasksFrom == "other" && role.resolvedPath?.hasSuffix("roles/common") == true)
        guard case .importRole(let reference) = imported.origin else {
            Issue.record("import_role should be a block")
            return
        }
        #expect(reference.role.tasks[0].task?.keywords.name == "other entry point")
        #expect(
            tasks[4].task?.action == "include_vars" && tasks[4].task?.arguments == ["_raw_params": "vars/extra.yml"])
    }

    @Test func missingIncludeTargetsWarn() throws {
        let pb = try PlaybookInline.load(
            """
            - hosts: all
              tasks:
                - include_tasks: later.yml
                - include_role: {name: later_role}
            """)
        #expect(pb.warnings.count == 2)
    }

    @Test func dependencyLoopsAreErrors() {
        let error = PlaybookInline.error(
            "- hosts: all\n  roles: [a]\n",
            files: [
                "roles/a/meta/main.yml": "dependencies: [b]\n", "roles/b/meta/main.yml": "dependencies: [a]\n",
            ])
        #expect(error?.message.hasPrefix("A recursion loop was detected") == true)
        #expect(error?.location.file.hasSuffix("roles/b/meta/main.yml") == true)
    }

    @Test func importLoopsAndMissingTasksFromAreErrors() {
        let loop = PlaybookInline.error(
            "- hosts: all\n  tasks:\n    - import_tasks: a.yml\n",
            files: ["a.yml": "- import_tasks: a.yml\n"])
        #expect(loop?.message.contains("imports itself") == true)
        let missing = PlaybookInline.error(
            "- hosts: all\n  tasks:\n    - import_role: {name: r, tasks_from: nope}\n",
            files: ["roles/r/tasks/main.yml": "- ping:\n"])
        #expect(missing?.message == "Could not find specified file in role: tasks/nope")
        #expect(missing?.location.line == 3)
    }

    @Test func importTasksInsideRoleLooksInTasksFolderFirst() throws {
        let pb = try PlaybookInline.load(
            "- hosts: all\n  roles: [r]\n",
            files: [
                "roles/r/tasks/main.yml": "- import_tasks: step.yml\n",
                "roles/r/tasks/step.yml": "- name: in role\n  ping:\n",
                "step.yml": "- name: wrong one\n  ping:\n",
            ])
        let block = try #require(pb.plays[0].roles[0].role.tasks[0].block)
        #expect(block.block[0].task?.keywords.name == "in role")
    }
}

/// Role identity, for the engine's "a role runs once per play" rule.
struct RoleIdentityTests {
    @Test func sameParametersAreTheSameRole() throws {
        let roles = try PlaybookFixtures.loadValid("14-role-duplicates").plays[0].roles
        #expect(roles[0].identity == roles[1].identity)
        #expect(roles[2].identity != roles[3].identity)
        #expect(roles[2].role.allowDuplicates && !roles[0].role.allowDuplicates)
        #expect(roles[0].role.tasksFile?.hasSuffix("roles/base/tasks/main.yml") == true)
    }
}

/// Errors inside role files point into the role's files.
struct RoleFileErrorTests {
    @Test func roleTasksFileThatIsNotAList() {
        let error = PlaybookInline.error(
            "- hosts: all\n  roles: [r]\n", files: ["roles/r/tasks/main.yml": "ping: {}\n"])
        #expect(error?.location.file.hasSuffix("roles/r/tasks/main.yml") == true && error?.location.line == 1)
        #expect(error?.message.hasPrefix("A malformed block was encountered while loading tasks") == true)
    }

    @Test func badTaskInsideRole() {
        let error = PlaybookInline.error(
            "- hosts: all\n  roles: [r]\n",
            files: [
                "roles/r/tasks/main.yml": "- name: ok\n  ping:\n- name: bad\n  pingg:\n"
            ])
        #expect(error?.location.file.hasSuffix("roles/r/tasks/main.yml") == true && error?.location.line == 3)
        #expect(error?.message.hasPrefix("couldn't resolve module/action 'pingg'") == true)
    }

    @Test func badDefaultsFile() {
        let error = PlaybookInline.error("- hosts: all\n  roles: [r]\n", files: ["roles/r/defaults/main.yml": "- a\n"])
        #expect(error?.location.file.hasSuffix("roles/r/defaults/main.yml") == true)
    }
}

/// `include_vars` stays a task whose options are checked at load time.
struct IncludeVarsTests {
    @Test func optionsAreChecked() {
        let bad = PlaybookInline.error("- hosts: all\n  tasks:\n    - include_vars: {file: a.yml, bogus: 1}\n")
        #expect(bad?.message == "bogus is not a valid option in include_vars" && bad?.location.line == 3)
        let mixed = PlaybookInline.error("- hosts: all\n  tasks:\n    - include_vars: {file: a.yml, dir: vars}\n")
        #expect(mixed?.message.hasPrefix("You are mixing file only and dir only arguments") == true)
        #expect(
            PlaybookInline.error("- hosts: all\n  tasks:\n    - include_vars: {dir: v, name: x, depth: 1}\n") == nil)
    }
}
