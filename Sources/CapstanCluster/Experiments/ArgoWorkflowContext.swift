import CapstanBasics
import Collections

/// What the Argo Workflow template sees (`--argo`): one Workflow named after the set, a `train` step
/// fanned out with `withItems` (one item per experiment: its id, object name (`job`), image, parameters as JSON and each
/// exported parameter), then a `merge` step. Results go to the default artifact repository under
/// the Workflow's name: `SET/ID/` per experiment and `SET/merged/`, the same places Jobs use.
///
/// Argo's own `{{...}}` expressions are computed here and passed as strings, so the Jinja template
/// never has to escape them.
public enum ArgoWorkflowContext {
    /// The Workflow's variables; every experiment must share command, args, resources and `env`
    /// (only the image and the exported parameters may vary per item), or this throws at the
    /// first that differs.
    public static func variables(_ experiments: [Experiment], in file: ExperimentsFile) throws
        -> OrderedDictionary<String, Value>
    {
        let contexts = experiments.enumerated().map { ExperimentContext.value($1, index: $0, in: file) }
        guard let first = contexts.first else {
            throw InputError("no experiments to run", at: SourceLocation(file: file.path, line: 1, column: 1))
        }
        let shared = ["command", "args", "resources"]
        for (experiment, context) in zip(experiments, contexts) {
            for key in shared where context[key] != first[key] {
                throw InputError(
                    "--argo runs every experiment with one \(key); experiment '\(experiment.id)' has another "
                        + "than '\(experiments[0].id)'", at: experiment.location)
            }
            if experiment.params["env"] != experiments[0].params["env"] {
                throw InputError(
                    "--argo runs every experiment with one env; experiment '\(experiment.id)' has another",
                    at: experiment.location)
            }
        }
        var exported: [String] = []
        for experiment in experiments {
            for (name, _) in ExperimentContext.parameterEnv(experiment) where !exported.contains(name) {
                exported.append(name)
            }
        }
        let parameters = ["id", "job", "image", "params"] + exported
        let items: [Value] = experiments.map { experiment in
            let env = Dictionary(ExperimentContext.parameterEnv(experiment), uniquingKeysWith: { _, last in last })
            var item: OrderedDictionary<String, Value> = [
                "id": .string(experiment.id), "job": .string(experiment.name),
                "image": experiment.params["image"] ?? .null,
                "params": .string(Value.dict(experiment.params).json()),
            ]
            for name in exported { item[name] = .string(env[name] ?? "") }
            return .dict(item)
        }
        func argo(_ expression: String) -> Value { .string("{{" + expression + "}}") }
        var env: [Value] = [
            ["name": "CAPSTAN_EXPERIMENT_ID", "value": argo("inputs.parameters.id")],
            ["name": "CAPSTAN_PARAMS", "value": argo("inputs.parameters.params")],
        ]
        if let store = file.objectStore {
            env.append([
                "name": "CAPSTAN_RESULTS_URI",
                "value": .string("s3://\(store.bucket)/{{workflow.name}}/{{inputs.parameters.id}}/"),
            ])
            env.append(["name": "AWS_ENDPOINT_URL", "value": .string(store.endpoint)])
        }
        env += exported.map { .dict(["name": .string($0), "value": argo("inputs.parameters.\($0)")]) }
        let params = experiments[0].params
        let workflow: OrderedDictionary<String, Value> = [
            "name": .string(file.setLabel), "namespace": .string(file.namespace),
            "labels": [ExperimentContext.setLabel: .string(file.setLabel)],
            "pod_labels": [
                ExperimentContext.setLabel: .string(file.setLabel),
                ExperimentContext.idLabel: argo("inputs.parameters.id"),
                ExperimentContext.jobLabel: argo("inputs.parameters.job"),
            ],
            "service_account": params["service_account"] ?? .string(defaultServiceAccount),
            "parameters": .list(parameters.map(Value.string)),
            "arguments": .list(parameters.map { .dict(["name": .string($0), "value": argo("item.\($0)")]) }),
            "with_items": .list(items), "env": .list(env),
            "image": argo("inputs.parameters.image"),
            "results_key": .string("{{workflow.name}}/{{inputs.parameters.id}}"),
            "all_results_key": argo("workflow.name"), "merged_key": .string("{{workflow.name}}/merged"),
            "merge_image": params["merge_image"] ?? "busybox:1.36",
            "merge_command": ExperimentContext.commandList(params["merge_command"] ?? .string(defaultMerge)),
        ]
        return [
            "workflow": .dict(workflow), "experiments": .list(contexts),
            "train": .dict(["command": first["command"] ?? .null, "args": first["args"] ?? .null]),
            "resources": first["resources"] ?? .null, "results": first["results"] ?? .null,
        ]
    }

    /// The account `capstan ml up` makes for workflows (`argo_workflow_service_account`): it may
    /// write the task results Argo's executor reports through.
    public static let defaultServiceAccount = "argo-workflow"

    /// Lists what each experiment left, and gathers every `metrics.json` into one JSON Lines file.
    static let defaultMerge =
        "mkdir -p /in /out && cd /in && find . -type f | sort > /out/index.txt && "
        + "for f in */metrics.json; do [ -f \"$f\" ] && printf '{\"id\": \"%s\", \"metrics\": %s}\\n' "
        + "\"${f%%/*}\" \"$(cat \"$f\")\"; done > /out/summary.jsonl; cat /out/index.txt"

    /// The built-in Workflow template.
    public static let template = #"""
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          name: {{ workflow.name }}
          namespace: {{ workflow.namespace }}
          labels: {{ workflow.labels | to_json }}
        spec:
          entrypoint: experiments
        {% if workflow.service_account %}
          serviceAccountName: {{ workflow.service_account | to_json }}
        {% endif %}
          volumes:
            - {name: results, emptyDir: {}}
          templates:
            - name: experiments
              steps:
                - - name: train
                    template: train
                    arguments:
                      parameters:
        {% for argument in workflow.arguments %}
                        - {name: {{ argument.name | to_json }}, value: {{ argument.value | to_json }}}
        {% endfor %}
                    withItems: {{ workflow.with_items | to_json }}
                - - name: merge
                    template: merge
            - name: train
              metadata:
                labels: {{ workflow.pod_labels | to_json }}
              inputs:
                parameters:
        {% for name in workflow.parameters %}
                  - name: {{ name | to_json }}
        {% endfor %}
              container:
                image: {{ workflow.image | to_json }}
        {% if train.command %}
                command: {{ train.command | to_json }}
        {% endif %}
        {% if train.args %}
                args: {{ train.args | to_json }}
        {% endif %}
                env:
                  - {name: CAPSTAN_EXPERIMENT_SET, value: {{ workflow.name | to_json }}}
                  - {name: CAPSTAN_RESULTS_DIR, value: /results}
        {% for var in workflow.env %}
                  - {name: {{ var.name | to_json }}, value: {{ var.value | to_json }}}
        {% endfor %}
        {% if resources %}
                resources: {{ resources | to_json }}
        {% endif %}
                volumeMounts:
                  - {name: results, mountPath: /results}
        {% if results %}
              outputs:
                artifacts:
                  - name: results
                    path: /results
                    archive: {none: {}}
                    s3: {key: {{ workflow.results_key | to_json }}}
        {% endif %}
            - name: merge
        {% if results %}
              inputs:
                artifacts:
                  - name: results
                    path: /in
                    s3: {key: {{ workflow.all_results_key | to_json }}}
        {% endif %}
              container:
                image: {{ workflow.merge_image | to_json }}
                command: {{ workflow.merge_command | to_json }}
        {% if results %}
              outputs:
                artifacts:
                  - name: merged
                    path: /out
                    archive: {none: {}}
                    s3: {key: {{ workflow.merged_key | to_json }}}
        {% endif %}
        """#
}
