/**
 * From engine events to the Markdown a reviewer reads: operations per source, their causes, drift, and the guard.
 */
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import {
  EngineEventRecorder,
  evaluateGuard,
  renderDrift,
  renderFailure,
  renderSummary,
  type SourceChange,
} from "../../gitops";
import { onlyAdoptions } from "../../gitops/checkpoints";
import { TYPE_TOKEN } from "../../provider/core/resource-kind";

const urn = (name: string) => `urn:pulumi:dev::catalogue::${TYPE_TOKEN}::${name}`;
const declared = (prefix: string, dataSourceName: string, extra: Record<string, unknown> = {}) => ({
  __provider: "exports.handler = ...",
  integrationId: 1,
  prefix,
  dataSourceName,
  tenant: "default",
  disabled: false,
  ...extra,
});

interface StepSpec {
  op: OpType;
  name: string;
  oldName?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  keys?: string[];
  type?: string;
}

function metadata(step: StepSpec) {
  const type = step.type ?? TYPE_TOKEN;
  return {
    op: step.op,
    urn: urn(step.name),
    type,
    provider: "default",
    ...(step.keys ? { keys: step.keys } : {}),
    ...(step.before
      ? {
          old: {
            type,
            urn: urn(step.oldName ?? step.name),
            custom: true,
            id: "1",
            parent: "",
            provider: "",
            inputs: step.before,
            outputs: step.before,
          },
        }
      : {}),
    ...(step.after
      ? {
          new: {
            type,
            urn: urn(step.name),
            custom: true,
            id: "1",
            parent: "",
            provider: "",
            inputs: step.after,
            outputs: step.after,
          },
        }
      : {}),
  };
}

const pre = (step: StepSpec): EngineEvent => ({
  sequence: 0,
  timestamp: 0,
  resourcePreEvent: { metadata: metadata(step) },
});
const outputs = (step: StepSpec): EngineEvent => ({
  sequence: 0,
  timestamp: 0,
  resOutputsEvent: { metadata: metadata(step) },
});
const diagnostic = (severity: string, message: string, urnOf?: string): EngineEvent =>
  ({
    sequence: 0,
    timestamp: 0,
    diagnosticEvent: { severity, message, color: "never", urn: urnOf },
  }) as unknown as EngineEvent;

function record(events: EngineEvent[]) {
  const recorder = new EngineEventRecorder();
  events.forEach(recorder.onEvent);
  return recorder.report();
}

describe("EngineEventRecorder", () => {
  it("folds a replacement's three steps into one replace caused by the replacement keys", () => {
    const before = declared("s3://acme-a/x", "a");
    const after = declared("s3://acme-a/y", "a");
    const report = record([
      pre({ op: "delete-replaced", name: "a", before, after }),
      pre({ op: "replace", name: "a", before, after, keys: ["prefix"] }),
      pre({ op: "create-replacement", name: "a", before, after, keys: ["prefix"] }),
    ]);
    expect(report.changes).toEqual([
      {
        name: "a",
        urn: urn("a"),
        operation: "replace",
        causes: [{ property: "prefix", before: "s3://acme-a/x", after: "s3://acme-a/y" }],
      },
    ]);
  });

  it("names the changed inputs of an update, a previous name matched by an alias, and ignores other types", () => {
    const report = record([
      pre({
        op: "update",
        name: "b",
        before: declared("s3://b", "b", { disabled: true }),
        after: declared("s3://b", "b"),
      }),
      pre({
        op: "same",
        name: "c2",
        oldName: "c",
        before: declared("s3://c", "c"),
        after: declared("s3://c", "c"),
      }),
      pre({ op: "create", name: "other", type: "aws:s3/bucket:Bucket", after: {} }),
    ]);
    expect(report.changes).toEqual([
      {
        name: "b",
        urn: urn("b"),
        operation: "update",
        causes: [{ property: "disabled", before: true, after: false }],
      },
      { name: "c2", urn: urn("c2"), operation: "same", previousName: "c", causes: [] },
    ]);
  });

  it("records drift from refresh results: changed inputs, or a source gone from Immuta", () => {
    const report = record([
      pre({ op: "refresh", name: "a", before: declared("s3://a", "a") }),
      pre({ op: "refresh", name: "b", before: declared("s3://b", "b") }),
      pre({ op: "refresh", name: "c", before: declared("s3://c", "c") }),
      outputs({
        op: "update",
        name: "a",
        before: declared("s3://a", "a"),
        after: declared("s3://a", "a-by-hand"),
      }),
      outputs({ op: "delete", name: "b", before: declared("s3://b", "b") }),
      outputs({ op: "same", name: "c", before: declared("s3://c", "c"), after: declared("s3://c", "c") }),
      diagnostic("warning", "not an error"),
      diagnostic("error", "prefix must be an S3 URI\n", urn("d")),
    ]);
    expect(report.refreshed).toBe(3);
    expect(report.drift).toEqual([
      {
        name: "a",
        urn: urn("a"),
        kind: "changed",
        changes: [{ property: "dataSourceName", before: "a", after: "a-by-hand" }],
      },
      { name: "b", urn: urn("b"), kind: "deleted", changes: [] },
    ]);
    expect(report.changes).toEqual([]);
    expect(report.errors).toEqual(["d: prefix must be an S3 URI"]);
  });

  it("compares inputs as what they mean: a default left out equals the default written (older state)", () => {
    const { tenant: _tenant, disabled: _disabled, ...withoutDefaults } = declared("s3://a", "a");
    const report = record([
      pre({ op: "refresh", name: "a", before: declared("s3://a", "a") }),
      pre({ op: "refresh", name: "b", before: declared("s3://b", "b") }),
      // State written by an older release holds the defaults; the refresh returns them left out.
      outputs({ op: "same", name: "a", before: declared("s3://a", "a"), after: withoutDefaults }),
      // Disabled in Immuta: the refreshed inputs hold disabled, the old ones left it out.
      outputs({
        op: "update",
        name: "b",
        before: { ...declared("s3://b", "b"), tenant: undefined, disabled: undefined },
        after: { ...declared("s3://b", "b"), tenant: undefined, disabled: true },
      }),
    ]);
    expect(report.drift).toEqual([
      {
        name: "b",
        urn: urn("b"),
        kind: "changed",
        changes: [{ property: "disabled", before: false, after: true }],
      },
    ]);
  });
});

describe("an update that only adopts", () => {
  const adopting = (name: string) =>
    pre({ op: "create", name, after: declared(`s3://acme-${name}`, name, { adopt: { dataSourceId: 1 } }) });
  const same = (name: string) =>
    pre({ op: "same", name, before: declared(`s3://${name}`, name), after: declared(`s3://${name}`, name) });

  it("may skip per-step checkpoints; anything else that changes the world may not", () => {
    const engineOwn = [
      pre({ op: "create", name: "e2e", type: "pulumi:pulumi:Stack", after: {} }),
      pre({ op: "create", name: "default", type: "pulumi:providers:pulumi-nodejs", after: {} }),
    ];
    expect(onlyAdoptions(record([...engineOwn, adopting("a"), same("b")]))).toBe(true);
    expect(onlyAdoptions(record([same("b")]))).toBe(false);
    expect(
      onlyAdoptions(
        record([adopting("a"), pre({ op: "create", name: "c", after: declared("s3://c", "c") })]),
      ),
    ).toBe(false);
    const withBucket = record([
      adopting("a"),
      pre({ op: "create", name: "logs", type: "aws:s3/bucket:Bucket" }),
    ]);
    expect(withBucket.otherChanges).toEqual(["create aws:s3/bucket:Bucket::logs"]);
    expect(onlyAdoptions(withBucket)).toBe(false);
    expect(
      onlyAdoptions(
        record([adopting("a"), pre({ op: "delete", name: "old", before: declared("s3://o", "o") })]),
      ),
    ).toBe(false);
  });
});

describe("the guard", () => {
  const change = (name: string, operation: SourceChange["operation"]): SourceChange => ({
    name,
    urn: urn(name),
    operation,
    causes: [],
  });
  const changes = [
    change("a", "delete"),
    change("b", "replace"),
    change("c", "create"),
    change("d", "update"),
  ];

  it("counts deletions and replacements against the limit", () => {
    expect(evaluateGuard(changes, { maxDestructive: 2, allowDestructive: false })).toMatchObject({
      passes: true,
      overridden: false,
    });
    const tripped = evaluateGuard(changes, { maxDestructive: 1, allowDestructive: false });
    expect(tripped.passes).toBe(false);
    expect(tripped.destructive.map((c) => c.name)).toEqual(["a", "b"]);
    expect(evaluateGuard(changes, { maxDestructive: 1, allowDestructive: true })).toMatchObject({
      passes: true,
      overridden: true,
    });
    expect(
      evaluateGuard([change("c", "create")], { maxDestructive: 0, allowDestructive: false }).passes,
    ).toBe(true);
  });
});

describe("Markdown", () => {
  it("lists nothing but the counts when nothing changes, and has no guard note", () => {
    const report = record([
      pre({ op: "same", name: "a", before: declared("s3://a", "a"), after: declared("s3://a", "a") }),
    ]);
    const guard = evaluateGuard(report.changes, { maxDestructive: 1, allowDestructive: false });
    expect(renderSummary({ kind: "preview", stackName: "prod", report, guard })).toBe(
      [
        "### Immuta data sources: preview of stack `prod`",
        "",
        "| Operation | Sources |",
        "| --- | ---: |",
        "| create | 0 |",
        "| update | 0 |",
        "| replace | 0 |",
        "| delete | 0 |",
        "| unchanged | 1 |",
        "",
        "No data source changes.",
        "",
      ].join("\n"),
    );
  });

  it("counts the creates of declarations carrying adopt as adoptions, without listing each one", () => {
    const adopting = (name: string, id: number) =>
      pre({
        op: "create",
        name,
        after: declared(`s3://acme-${name}`, name, { adopt: { dataSourceId: id } }),
      });
    const report = record([adopting("a", 1), adopting("b", 2), adopting("c", 3)]);
    expect(report.changes.map((change) => change.operation)).toEqual(["adopt", "adopt", "adopt"]);
    const guard = evaluateGuard(report.changes, { maxDestructive: 0, allowDestructive: false });
    expect(guard.passes).toBe(true);
    expect(renderSummary({ kind: "update", stackName: "prod", report, guard })).toBe(
      [
        "### Immuta data sources: update of stack `prod`",
        "",
        "| Operation | Sources |",
        "| --- | ---: |",
        "| create | 0 |",
        "| update | 0 |",
        "| replace | 0 |",
        "| delete | 0 |",
        "| adopt | 3 |",
        "| unchanged | 0 |",
        "",
        "3 sources adopted, nothing created or deleted: each is taken over by its Immuta id once Immuta confirms " +
          "its prefix, integration and name (a disabled one is restored).",
        "",
      ].join("\n"),
    );

    // Beside a real creation, the adoption is counted and the creation listed.
    const mixed = record([
      adopting("a", 1),
      pre({ op: "create", name: "new", after: declared("s3://acme-new", "new") }),
      pre({
        op: "create",
        name: "by-name",
        after: declared("s3://acme-n", "n", { adopt: { byName: true } }),
      }),
    ]);
    const markdown = renderSummary({ kind: "preview", stackName: "prod", report: mixed });
    expect(markdown).toContain("| create | 1 |");
    expect(markdown).toContain("| adopt | 2 |");
    expect(markdown).toContain("\n\n2 sources adopted: each is taken over by its Immuta id");
    expect(markdown).toContain("| `new` | create | new in the catalogue |");
    expect(markdown).not.toContain("`a`");
  });

  it("keeps table cells intact whatever a name contains, and says which change repairs drift", () => {
    const report = record([
      pre({ op: "refresh", name: "a", before: declared("s3://a", "x|y") }),
      outputs({
        op: "update",
        name: "a",
        before: declared("s3://a", "x|y"),
        after: declared("s3://a", "x`y"),
      }),
      pre({ op: "update", name: "a", before: declared("s3://a", "x`y"), after: declared("s3://a", "x|y") }),
    ]);
    const markdown = renderSummary({ kind: "update", stackName: "prod", report });
    expect(markdown).toContain("| `a` | update | `dataSourceName` `` x`y `` → `x\\|y` (drift repaired) |");
  });

  it("shows a failure's errors in a fence that the errors cannot close", () => {
    expect(renderFailure("preview", "prod", ["bad ``` value"])).toBe(
      "### Immuta data sources: preview of stack `prod` failed\n\n````\nbad ``` value\n````\n",
    );
  });

  it("reports a single drifted source in the singular", () => {
    const report = record([
      pre({ op: "refresh", name: "a", before: declared("s3://a", "a") }),
      outputs({
        op: "update",
        name: "a",
        before: declared("s3://a", "a"),
        after: declared("s3://a/elsewhere", "a"),
      }),
    ]);
    expect(renderDrift("prod", report)).toContain(
      "1 of 1 source differs from Immuta (last known → now in Immuta).\n\n| Source | Drift | Details | Next `up` |\n" +
        "| --- | --- | --- | --- |\n| `a` | changed | `prefix` `s3://a` → `s3://a/elsewhere` | replaces it |\n",
    );
  });
});
