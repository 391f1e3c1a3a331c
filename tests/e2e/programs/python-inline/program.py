"""One step of an Automation API inline program in Python that declares Immuta S3 data sources with the generated
SDK (pulumi_immuta). Driven by tests/e2e/native-python.test.ts, one process per step:

    python program.py up|preview|refresh|destroy

Environment: E2E_WORK_DIR (backend and PULUMI_HOME live there), E2E_PULUMI_ROOT (holds bin/pulumi), E2E_IMMUTA_URL,
E2E_IMMUTA_API_KEY (set as secret config), E2E_SOURCES (JSON: resource name -> arguments; an argument object
{"secret": value} is passed as a secret, "secretOutputs": [...] become additional_secret_outputs).
Prints one JSON line last: the operations per resource, the summary's changes and the stack outputs.
"""
import json
import os
import sys

import pulumi
import pulumi_immuta as immuta
from pulumi import automation as auto

PROJECT = "immuta-python-e2e"


def argument(value):
    if isinstance(value, dict) and set(value) == {"secret"}:
        return pulumi.Output.secret(value["secret"])
    return value


def program():
    sources = json.loads(os.environ["E2E_SOURCES"])
    for name, args in sources.items():
        args = dict(args)
        secret_outputs = args.pop("secretOutputs", [])
        adopt = args.pop("adopt", None)
        source = immuta.S3DataSource(
            name,
            integration_id=argument(args["integrationId"]),
            prefix=argument(args["prefix"]),
            data_source_name=argument(args["dataSourceName"]),
            tenant=args.get("tenant"),
            adopt=immuta.S3DataSourceAdoptionArgs(**adopt) if adopt else None,
            opts=pulumi.ResourceOptions(additional_secret_outputs=secret_outputs),
        )
        pulumi.export(name, {"dataSourceId": source.data_source_id, "immutaName": source.immuta_name})


def main(step):
    work = os.environ["E2E_WORK_DIR"]
    backend = os.path.join(work, "backend")
    home = os.path.join(work, "pulumi-home")
    os.makedirs(backend, exist_ok=True)
    os.makedirs(home, exist_ok=True)
    options = auto.LocalWorkspaceOptions(
        work_dir=os.path.join(work, "project"),
        pulumi_home=home,
        pulumi_command=auto.PulumiCommand(root=os.environ["E2E_PULUMI_ROOT"]),
        project_settings=auto.ProjectSettings(name=PROJECT, runtime="python"),
        env_vars={
            "PULUMI_BACKEND_URL": "file://" + backend,
            "PULUMI_CONFIG_PASSPHRASE": "e2e-test-passphrase",
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "IMMUTA_URL": "",
            "IMMUTA_API_KEY": "",
        },
    )
    os.makedirs(options.work_dir, exist_ok=True)
    stack = auto.create_or_select_stack(stack_name="e2e", project_name=PROJECT, program=program, opts=options)
    stack.set_config("immuta:url", auto.ConfigValue(os.environ["E2E_IMMUTA_URL"]))
    stack.set_config("immuta:apiKey", auto.ConfigValue(os.environ["E2E_IMMUTA_API_KEY"], secret=True))

    operations = []

    def on_event(event):
        pre = event.resource_pre_event
        if pre and pre.metadata.type == "immuta:index:S3DataSource":
            operations.append({"name": pre.metadata.urn.split("::")[-1], "op": pre.metadata.op.value,
                               "keys": pre.metadata.keys or []})

    outputs = {}
    if step == "up":
        result = stack.up(on_event=on_event)
        changes, outputs = result.summary.resource_changes, {k: v.value for k, v in result.outputs.items()}
    elif step == "preview":
        result = stack.preview(on_event=on_event)
        changes = result.change_summary
    elif step == "refresh":
        result = stack.refresh(on_event=on_event)
        changes = result.summary.resource_changes
    elif step == "destroy":
        result = stack.destroy(on_event=on_event)
        changes = result.summary.resource_changes
    else:
        raise SystemExit(f"unknown step {step}")
    print(json.dumps({"operations": operations, "changes": changes, "outputs": outputs}, default=str))


if __name__ == "__main__":
    main(sys.argv[1])
