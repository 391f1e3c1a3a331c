/**
 * The gitops commands as CI runs them: the compiled `pulumi-immuta-gitops` from the installed package, the real
 * Pulumi engine, and the Immuta emulator. What is asserted is what a reviewer or an on-call engineer reads.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { API_KEY, count, startTestEmulator, type TestEmulator } from "../e2e/support/emulator";
import { runGitops } from "../e2e/support/gitops-cli";
import { createTestStack, type TestStack } from "../e2e/support/stack";

jest.setTimeout(600_000);

let immuta: TestEmulator;
let test: TestStack;

function catalogue(
  sources: Record<string, { prefix: string; name: string; previousKeys?: string[] }>,
): string {
  const entries = Object.entries(sources).map(([key, source]) =>
    [
      `  ${key}:`,
      "    integration: research-s3",
      `    prefix: ${source.prefix}`,
      `    dataSourceName: ${source.name}`,
      ...(source.previousKeys ? [`    previousKeys: [${source.previousKeys.join(", ")}]`] : []),
    ].join("\n"),
  );
  return ["integrations:", "  research-s3:", "    integrationId: 1", "sources:", ...entries, ""].join("\n");
}

const writeCatalogue = (text: string) =>
  fs.writeFileSync(path.join(test.programDir, "datasources.yaml"), text);

const byPrefix = async (prefix: string) =>
  (await immuta.control.store()).dataSources.find((source) => source.prefix === prefix);

const mutatingCalls = async () => (await immuta.calls()).filter((call) => !call.startsWith("GET "));

beforeAll(async () => {
  immuta = await startTestEmulator();
  test = await createTestStack({ program: "gitops", immutaUrl: immuta.emulator.url, apiKey: API_KEY });
  writeCatalogue(
    catalogue({
      research: { prefix: "s3://acme-research/raw", name: "research" },
      finance: { prefix: "s3://acme-finance/ledger", name: "finance" },
      marketing: { prefix: "s3://acme-marketing/campaigns", name: "marketing" },
      legacy: { prefix: "s3://acme-legacy/archive", name: "legacy" },
    }),
  );
  await test.stack.up();
});

afterAll(async () => {
  await test?.stack.destroy().catch(() => undefined);
  await test?.dispose();
  await immuta?.emulator.close();
});

it("an invalid catalogue fails the summary with every problem and its position, before any call to Immuta", async () => {
  writeCatalogue(
    catalogue({
      research: { prefix: "acme-research/raw", name: "research" },
      finance: { prefix: "s3://acme-finance/ledger", name: "research" },
    }),
  );
  await immuta.clear();
  const run = await runGitops(test, ["summary", "--skip-refresh"]);
  expect(run.exitCode).toBe(2);
  expect(run.stdout).toBe(
    [
      "### Immuta data sources: preview of stack `e2e` failed",
      "",
      "```",
      "The catalogue datasources.yaml has 2 errors:",
      "  datasources.yaml:7:13 sources.research.prefix: must start with s3://",
      '  datasources.yaml:12:21 sources.finance.dataSourceName: "research" is already the name of sources.research in tenant default',
      "```",
      "",
    ].join("\n"),
  );
  expect(await immuta.calls()).toEqual([]);
});

it("summarises an edited catalogue for the pull request, changing nothing", async () => {
  writeCatalogue(
    catalogue({
      research: { prefix: "s3://acme-research/raw-v2", name: "research" },
      finance: { prefix: "s3://acme-finance/ledger", name: "finance" },
      campaigns: { prefix: "s3://acme-marketing/campaigns", name: "marketing", previousKeys: ["marketing"] },
      sales: { prefix: "s3://acme-sales/orders", name: "sales" },
    }),
  );
  await immuta.clear();
  const run = await runGitops(test, ["summary", "--max-destructive", "2"]);
  expect(run.stdout).toBe(
    [
      "### Immuta data sources: preview of stack `e2e`",
      "",
      "| Operation | Sources |",
      "| --- | ---: |",
      "| create | 1 |",
      "| update | 0 |",
      "| replace | 1 |",
      "| delete | 1 |",
      "| unchanged | 2 |",
      "",
      "| Source | Operation | Why |",
      "| --- | --- | --- |",
      "| `legacy` | delete | removed from the catalogue |",
      "| `research` | replace | `prefix` `s3://acme-research/raw` → `s3://acme-research/raw-v2` |",
      "| `sales` | create | new in the catalogue |",
      "| `campaigns` | no change | renamed from `marketing` (previousKeys) |",
      "",
      "Guard: 2 sources would be deleted or replaced (`legacy`, `research`); the limit is 2.",
      "",
    ].join("\n"),
  );
  expect(run.exitCode).toBe(0);
  expect(await mutatingCalls()).toEqual([]);
});

it("the guarded up refuses more deletions and replacements than allowed, and applies them when allowed", async () => {
  await immuta.clear();
  const refused = await runGitops(test, ["up"]);
  expect(refused.exitCode).toBe(3);
  expect(refused.stdout.trimEnd().split("\n\n").pop()).toBe(
    "> **Guard tripped:** 2 sources would be deleted or replaced (`legacy`, `research`); at most 1 may be " +
      "without an explicit allowance. Nothing was applied. If this is intended, run with `--allow-destructive` " +
      "(or `IMMUTA_GITOPS_ALLOW_DESTRUCTIVE=true`).",
  );
  expect(await mutatingCalls()).toEqual([]);

  const marketing = (await byPrefix("s3://acme-marketing/campaigns"))!;
  const legacy = (await byPrefix("s3://acme-legacy/archive"))!;
  const allowed = await runGitops(test, ["up"], { IMMUTA_GITOPS_ALLOW_DESTRUCTIVE: "true" });
  expect(allowed.exitCode).toBe(0);
  expect(allowed.stdout).toContain(
    "| `research` | replace | `prefix` `s3://acme-research/raw` → `s3://acme-research/raw-v2` |",
  );
  expect(allowed.stdout).toContain(
    "> **Guard overridden** (allowed explicitly): 2 sources were deleted or replaced (`legacy`, `research`); the limit is 1.",
  );
  const calls = await immuta.calls();
  expect(count(calls, "POST /native-s3/handler")).toBe(2);
  expect(count(calls, `DELETE /dataSource/${legacy.id}`)).toBe(2);
  expect(count(calls, `DELETE /dataSource/${marketing.id}`)).toBe(0);
  expect(await byPrefix("s3://acme-legacy/archive")).toBeUndefined();
  expect(await byPrefix("s3://acme-research/raw-v2")).toBeDefined();
  expect(await byPrefix("s3://acme-sales/orders")).toBeDefined();
  // The renamed key kept its source: same id, no replacement.
  expect((await byPrefix("s3://acme-marketing/campaigns"))!.id).toBe(marketing.id);
});

it("drift exits 1 after changes made behind Pulumi's back, and 0 once the guarded up repaired them", async () => {
  const finance = (await byPrefix("s3://acme-finance/ledger"))!;
  const campaigns = (await byPrefix("s3://acme-marketing/campaigns"))!;
  const sales = (await byPrefix("s3://acme-sales/orders"))!;
  await immuta.control.mutateDataSource(finance.id, { deleted: true });
  await immuta.control.mutateDataSource(campaigns.id, { name: "marketing-by-hand" });
  await immuta.control.purgeDataSource(sales.id);

  await immuta.clear();
  const drifted = await runGitops(test, ["drift"]);
  expect(drifted.stdout).toBe(
    [
      "### Immuta data sources: drift in stack `e2e`",
      "",
      "3 of 4 sources differ from Immuta (last known → now in Immuta).",
      "",
      "| Source | Drift | Details | Next `up` |",
      "| --- | --- | --- | --- |",
      "| `campaigns` | changed | `dataSourceName` `marketing` → `marketing-by-hand` | renames it back |",
      "| `finance` | changed | `disabled` `false` → `true` | restores it |",
      "| `sales` | deleted | no longer exists in Immuta | recreates it (if still in the catalogue) |",
      "",
    ].join("\n"),
  );
  expect(drifted.exitCode).toBe(1);
  expect(await mutatingCalls()).toEqual([]);

  const repaired = await runGitops(test, ["up"]);
  expect(repaired.exitCode).toBe(0);
  expect(repaired.stdout).toContain("| `sales` | create | deleted in Immuta outside Pulumi: recreated |");
  expect((await byPrefix("s3://acme-finance/ledger"))!.deleted).toBe(false);
  expect((await byPrefix("s3://acme-marketing/campaigns"))!.name).toBe("marketing");

  const clean = await runGitops(test, ["drift"]);
  expect(clean.stdout).toBe(
    "### Immuta data sources: drift in stack `e2e`\n\nNo drift: 4 sources checked, all match Immuta.\n",
  );
  expect(clean.exitCode).toBe(0);
});
