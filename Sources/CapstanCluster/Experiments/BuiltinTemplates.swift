/// The templates Capstan renders experiments with unless `--template` (or the file's `template`)
/// names another. `capstan experiments template KIND` prints them, to start a custom one from.
/// They are rendered as Ansible renders templates (trim_blocks, trailing newline kept), so Python's
/// jinja2 renders them the same (Tests/oracles/experiments-expected.py checks it).
public enum BuiltinTemplates {
    /// The template for one experiment of `kind`.
    public static func template(for kind: ExperimentKind) -> String {
        switch kind {
        case .job: return job
        case .pyTorchJob: return trainingJob(apiKind: "PyTorchJob", specs: "pytorchReplicaSpecs", container: "pytorch")
        case .tfJob: return trainingJob(apiKind: "TFJob", specs: "tfReplicaSpecs", container: "tensorflow")
        }
    }

    /// Where the built-in template for `kind` says errors are (there is no file).
    public static func origin(for kind: ExperimentKind) -> String { "<built-in \(kind.rawValue) template>" }

    /// The container's image, command, args, environment (credentials from the Secret, never inline)
    /// and resources; indented for a container list item at `indent` spaces.
    static func container(name: String, indent: Int, resultsMount: Bool) -> String {
        let pad = String(repeating: " ", count: indent)
        let lines = #"""
            - name: \#(name)
              image: {{ experiment.image | to_json }}
            {% if experiment.command %}
              command: {{ experiment.command | to_json }}
            {% endif %}
            {% if experiment.args %}
              args: {{ experiment.args | to_json }}
            {% endif %}
              env:
            {% for var in experiment.env %}
                - name: {{ var.name | to_json }}
                  value: {{ var.value | to_json }}
            {% endfor %}
            {% if experiment.results %}
                - name: AWS_ACCESS_KEY_ID
                  valueFrom:
                    secretKeyRef: {name: {{ experiment.results.secret | to_json }}, key: {{ experiment.results.access_key_key | to_json }}}
                - name: AWS_SECRET_ACCESS_KEY
                  valueFrom:
                    secretKeyRef: {name: {{ experiment.results.secret | to_json }}, key: {{ experiment.results.secret_key_key | to_json }}}
            {% endif %}
            {% if experiment.resources %}
              resources: {{ experiment.resources | to_json }}
            {% endif %}
            """#
        var text = lines.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("{%") ? String(line) : pad + line
        }.joined(separator: "\n")
        if resultsMount {
            text +=
                "\n\(pad)  volumeMounts:\n\(pad)    - {name: results, mountPath: {{ experiment.results.directory | to_json }}}"
        }
        return text + "\n"
    }

    /// A batch/v1 Job. With an object store, training runs as the init container writing to an
    /// emptyDir at /results, and an rclone container uploads it to `BUCKET/SET/ID/` afterwards, so
    /// any training image works unchanged.
    static let job = #"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {{ experiment.name }}
          namespace: {{ experiment.namespace }}
          labels: {{ experiment.labels | to_json }}
          annotations: {{ experiment.annotations | to_json }}
        spec:
          backoffLimit: {{ experiment.backoff_limit }}
          template:
            metadata:
              labels: {{ experiment.labels | to_json }}
            spec:
              restartPolicy: Never
        {% if experiment.params.service_account is defined %}
              serviceAccountName: {{ experiment.params.service_account }}
        {% endif %}
        {% if experiment.results %}
              volumes:
                - {name: results, emptyDir: {}}
              initContainers:
        \#(container(name: "train", indent: 8, resultsMount: true))      containers:
                - name: upload
                  image: rclone/rclone:1.68.2
                  args: ["copy", "/results", {{ ("store:" ~ experiment.results.bucket ~ "/" ~ experiment.results.prefix) | to_json }}]
                  env:
                    - {name: RCLONE_CONFIG_STORE_TYPE, value: s3}
                    - {name: RCLONE_CONFIG_STORE_PROVIDER, value: Other}
                    - {name: RCLONE_CONFIG_STORE_ENDPOINT, value: {{ experiment.results.endpoint | to_json }}}
                    - name: RCLONE_CONFIG_STORE_ACCESS_KEY_ID
                      valueFrom:
                        secretKeyRef: {name: {{ experiment.results.secret | to_json }}, key: {{ experiment.results.access_key_key | to_json }}}
                    - name: RCLONE_CONFIG_STORE_SECRET_ACCESS_KEY
                      valueFrom:
                        secretKeyRef: {name: {{ experiment.results.secret | to_json }}, key: {{ experiment.results.secret_key_key | to_json }}}
                  volumeMounts:
                    - {name: results, mountPath: /results, readOnly: true}
        {% else %}
              containers:
        \#(container(name: "train", indent: 8, resultsMount: false))
        {% endif %}
        """#

    /// A Kubeflow training operator job (v1): a Master (PyTorchJob) and `workers` Workers, each
    /// container named as the operator requires; the program uploads its own results (the
    /// `AWS_*` and `CAPSTAN_RESULTS_URI` variables say where).
    static func trainingJob(apiKind: String, specs: String, container name: String) -> String {
        let master = apiKind == "PyTorchJob" ? "[{'role': 'Master', 'count': 1}]" : "[]"
        return #"""
            apiVersion: kubeflow.org/v1
            kind: \#(apiKind)
            metadata:
              name: {{ experiment.name }}
              namespace: {{ experiment.namespace }}
              labels: {{ experiment.labels | to_json }}
              annotations: {{ experiment.annotations | to_json }}
            spec:
              runPolicy:
                backoffLimit: {{ experiment.backoff_limit }}
              \#(specs):
            {% for spec in \#(master) + ([{'role': 'Worker', 'count': experiment.workers}] if experiment.workers > 0 else []) %}
                {{ spec.role }}:
                  replicas: {{ spec.count }}
                  restartPolicy: OnFailure
                  template:
                    metadata:
                      labels: {{ experiment.labels | to_json }}
                    spec:
            {% if experiment.params.service_account is defined %}
                      serviceAccountName: {{ experiment.params.service_account }}
            {% endif %}
                      containers:
            \#(container(name: name, indent: 14, resultsMount: false))
            {% endfor %}
            """#
    }
}
