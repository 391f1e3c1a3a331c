import { diffDataSource } from "../../provider/core/diff";
import { UNKNOWN_VALUE } from "../../provider/core/constants";
import { storedState, upgradeState } from "../../provider/core/state";
import type { DataSourceInputs } from "../../provider/core/inputs";

const olds = upgradeState({
  schemaVersion: 2,
  integrationId: 1,
  prefix: "s3://acme/raw",
  dataSourceName: "research",
  tenant: "default",
  dataSourceId: 7,
  handlerId: 1007,
  immutaName: "research",
  appliedName: "research",
  disabled: false,
});
const declared: DataSourceInputs = {
  integrationId: 1,
  prefix: "s3://acme/raw",
  dataSourceName: "research",
  tenant: "default",
};

describe("diff", () => {
  it("reports no change for the same declaration, always as a boolean", () => {
    expect(diffDataSource(olds, declared)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      changed: [],
    });
  });

  it("compares prefixes canonically", () => {
    expect(diffDataSource({ ...olds, prefix: "s3://acme//raw/" }, declared).changes).toBe(false);
  });

  it.each([
    ["prefix", { prefix: "s3://acme/curated" }],
    ["dataSourceName", { dataSourceName: "research-v2" }],
    ["integrationId", { integrationId: 2 }],
  ])("replaces on a change of %s, listing exactly that key, purging first", (key, change) => {
    expect(diffDataSource(olds, { ...declared, ...change })).toEqual({
      changes: true,
      replaces: [key],
      deleteBeforeReplace: true,
      changed: [key],
    });
  });

  it("creates the replacement first when both name and prefix change (nothing to collide)", () => {
    const result = diffDataSource(olds, { ...declared, dataSourceName: "b", prefix: "s3://acme/b" });
    expect(result).toEqual({
      changes: true,
      replaces: ["prefix", "dataSourceName"],
      deleteBeforeReplace: false,
      changed: ["prefix", "dataSourceName"],
    });
  });

  it("creates the replacement first when the tenant changes", () => {
    const result = diffDataSource(olds, { ...declared, tenant: "production" });
    expect(result).toEqual({
      changes: true,
      replaces: ["tenant"],
      deleteBeforeReplace: false,
      changed: ["tenant"],
    });
  });

  it("treats unknown values during preview as possible replacements", () => {
    const result = diffDataSource(olds, { ...declared, prefix: UNKNOWN_VALUE });
    expect(result).toEqual({
      changes: true,
      replaces: ["prefix"],
      deleteBeforeReplace: true,
      changed: ["prefix"],
    });
  });

  it("restores a source found disabled in place", () => {
    expect(diffDataSource({ ...olds, disabled: true }, declared)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      changed: ["disabled"],
    });
  });

  it("renames a source renamed behind Pulumi's back in place", () => {
    expect(diffDataSource({ ...olds, immutaName: "hijacked" }, declared)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      changed: ["dataSourceName"],
    });
  });

  it("changes tags and description in place, never replacing: a set compares in any order", () => {
    const governed = { ...olds, tags: ["Finance.PII", "Team.Research"], description: "raw" };
    expect(
      diffDataSource(governed, { ...declared, tags: ["Team.Research", "Finance.PII"], description: "raw" }),
    ).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      changed: [],
    });
    expect(
      diffDataSource(governed, { ...declared, tags: ["Team.Research"], description: "curated" }),
    ).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      changed: ["tags", "description"],
    });
  });

  it("tags and description left out are not managed; left out after being managed, the update stops managing them", () => {
    expect(diffDataSource(olds, declared).changes).toBe(false);
    expect(diffDataSource({ ...olds, tags: [], description: null }, declared)).toMatchObject({
      changes: true,
      replaces: [],
      changed: ["tags", "description"],
    });
  });

  it("does not diff a name Immuta chose itself at creation", () => {
    const generated = "s3://acme/raw (123*****9012/us-east-2)";
    expect(diffDataSource({ ...olds, immutaName: generated, appliedName: generated }, declared).changes).toBe(
      false,
    );
  });

  it("reads version 1 state (no tenant, Immuta's name as `name`)", () => {
    const v1 = upgradeState({
      schemaVersion: 1,
      integrationId: 1,
      prefix: "s3://acme/raw",
      dataSourceName: "research",
      dataSourceId: 7,
      name: "research",
    });
    expect(diffDataSource(v1, declared).changes).toBe(false);
    expect(v1).toMatchObject({
      tenant: "default",
      handlerId: 7,
      immutaName: "research",
      appliedName: "research",
    });
  });

  it("stores the rename baseline only where it differs from Immuta's name, and reads it back either way", () => {
    const stored = storedState(olds);
    expect(stored).not.toHaveProperty("appliedName");
    expect(upgradeState(stored as unknown as Record<string, unknown>)).toEqual(olds);

    const renamed = { ...olds, immutaName: "renamed in the UI" };
    expect(storedState(renamed)).toMatchObject({ appliedName: "research" });
    expect(upgradeState(storedState(renamed) as unknown as Record<string, unknown>)).toEqual(renamed);
    expect(
      diffDataSource(upgradeState(storedState(renamed) as unknown as Record<string, unknown>), declared),
    ).toMatchObject({
      changes: true,
      changed: ["dataSourceName"],
    });
  });
});
