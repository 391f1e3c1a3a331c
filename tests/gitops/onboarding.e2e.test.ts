/**
 * Onboarding a tenant that already holds data sources, as a team does it: `pulumi-immuta-gitops export` from the
 * installed package against the stack's own config, then the guarded `up` through the real engine. The first `up`
 * adopts every source with reads only; the next `up` and a refresh change nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { API_KEY, seedSources, startTestEmulator, type TestEmulator } from "../e2e/support/emulator";
import { atScale } from "../helpers/scale";
import { runGitops } from "../e2e/support/gitops-cli";
import { createTestStack, opsOf, stepRecorder, type TestStack } from "../e2e/support/stack";

jest.setTimeout(1_800_000);

/** Immuta API requests that change something. */
const writesTo = async (immuta: TestEmulator) =>
  (await immuta.calls()).filter((call) => !call.startsWith("GET "));

/** 2,500 in `npm run test:scale`; 250 in `npm test`, enough to show reads only and a state saved once. */
const SOURCES = atScale({ full: 2500, reduced: 250 });

describe(`a tenant of ${SOURCES} sources registered by hand`, () => {
  let immuta: TestEmulator;
  let test: TestStack;
  let disabledIds: number[];

  beforeAll(async () => {
    immuta = await startTestEmulator({
      integrations: [
        {
          id: 1,
          awsLocationPath: "s3://",
          awsAccountId: "123456789012",
          awsRegion: "us-east-2",
          name: "Research",
        },
        {
          id: 2,
          awsLocationPath: "s3://acme-finance/",
          awsAccountId: "123456789012",
          awsRegion: "us-east-2",
        },
      ],
    });
    await seedSources(
      immuta.control,
      Array.from({ length: SOURCES }, (_, i) =>
        i % 5 === 0
          ? { name: `Finance ${i}`, prefix: `s3://acme-finance/ledger/${i}`, integrationId: 2 }
          : { name: `research-${i}`, prefix: `s3://acme-research/raw/${i}`, integrationId: 1 },
      ),
    );
    disabledIds = [];
    for (const name of ["retired-a", "retired-b", "retired-c"]) {
      const seeded = await immuta.control.seedDataSource({
        name,
        prefix: `s3://acme-old/${name}`,
        deleted: true,
      });
      disabledIds.push(seeded.id);
    }
    test = await createTestStack({ program: "gitops", immutaUrl: immuta.emulator.url, apiKey: API_KEY });
  });

  afterAll(async () => {
    await test?.dispose();
    await immuta?.emulator.close();
  });

  it("export writes a catalogue of every source from the stack's config, reading only, the same bytes twice", async () => {
    await immuta.clear();
    const catalogue = path.join(test.programDir, "datasources.yaml");
    const exported = await runGitops(test, ["export", "--skip-disabled", "--out", catalogue]);
    expect(exported.stderr).toBe(
      [
        `Found ${SOURCES + 3} data sources in tenant default; exported ${SOURCES} (2 integrations) as YAML, ` +
          "each adopted by id.",
        "Skipped 3:",
        "  3 disabled in Immuta (--skip-disabled):",
        ...["retired-a", "retired-b", "retired-c"].map((name, i) => `    id ${disabledIds[i]} "${name}"`),
        "",
      ].join("\n"),
    );
    expect(exported.exitCode).toBe(0);
    expect(exported.stdout).toBe("");
    expect(await writesTo(immuta)).toEqual([]);

    const text = fs.readFileSync(catalogue, "utf8");
    expect(text).toContain("integrations:\n  research:\n    integrationId: 1\n  s3-integration-2:\n");
    expect(text.match(/^ {4}adopt: \{ dataSourceId: \d+ \}$/gm)).toHaveLength(SOURCES);

    const again = await runGitops(test, ["export", "--skip-disabled"]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toBe(text);
  });

  it("the first guarded up adopts every source with reads only, and says so", async () => {
    await immuta.clear();
    const up = await runGitops(test, ["up"]);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toBe(
      [
        "### Immuta data sources: update of stack `e2e`",
        "",
        "| Operation | Sources |",
        "| --- | ---: |",
        "| create | 0 |",
        "| update | 0 |",
        "| replace | 0 |",
        "| delete | 0 |",
        `| adopt | ${SOURCES} |`,
        "| unchanged | 0 |",
        "",
        `${SOURCES} sources adopted, nothing created or deleted: each is taken over by its Immuta id once Immuta ` +
          "confirms its prefix, integration and name (a disabled one is restored).",
        "",
      ].join("\n"),
    );
    // Nothing but adoptions: the state is saved once, at the end, not rewritten after each step.
    expect(up.stderr).toContain(
      "The plan only adopts existing sources: the state is saved once, at the end.",
    );
    expect(await writesTo(immuta)).toEqual([]);
    const stored = (await immuta.control.store()).dataSources;
    expect(stored).toHaveLength(SOURCES + 3);
    expect(stored.filter((source) => source.deleted).map((source) => source.id)).toEqual(disabledIds);
  });

  it("the next up and a refresh change nothing, in Immuta or in the state", async () => {
    await immuta.clear();
    const steps = stepRecorder();
    await test.stack.up({ expectNoChanges: true, onEvent: steps.onEvent });
    expect(opsOf(steps.steps)).toEqual({ same: SOURCES });
    await test.stack.refresh({ expectNoChanges: true });
    expect(await writesTo(immuta)).toEqual([]);
  });
});

describe("an export as a TypeScript program", () => {
  let immuta: TestEmulator;
  let test: TestStack;

  beforeAll(async () => {
    immuta = await startTestEmulator();
    test = await createTestStack({ program: "gitops", immutaUrl: immuta.emulator.url, apiKey: API_KEY });
  });

  afterAll(async () => {
    await test?.dispose();
    await immuta?.emulator.close();
  });

  it("runs as the stack's program: it adopts every source, and restores only the disabled one", async () => {
    await immuta.control.seedDataSource({ name: "research", prefix: "s3://acme-research/raw" });
    await immuta.control.seedDataSource({ name: "finance", prefix: "s3://acme-finance/ledger" });
    const retired = await immuta.control.seedDataSource({
      name: "retired",
      prefix: "s3://acme-old/archive",
      deleted: true,
    });
    const program = path.join(test.programDir, "index.ts");
    const exported = await runGitops(test, ["export", "--format", "typescript", "--out", program]);
    expect(exported.exitCode).toBe(0);
    expect(fs.readFileSync(program, "utf8")).toContain('"retired": new ImmutaS3DataSource("retired", {');

    await immuta.clear();
    const steps = stepRecorder();
    const result = await test.stack.up({ onEvent: steps.onEvent });
    expect(opsOf(steps.steps)).toEqual({ create: 3 });
    expect(await writesTo(immuta)).toEqual([`PUT /dataSource/${retired.id}`]);
    expect((await immuta.control.store()).dataSources.every((source) => !source.deleted)).toBe(true);
    expect(result.outputs.dataSourceIds.value).toEqual({ finance: 2, research: 1, retired: retired.id });

    await immuta.clear();
    await test.stack.up({ expectNoChanges: true });
    expect(await writesTo(immuta)).toEqual([]);
  });
});

describe("an adoption that fails half-way", () => {
  let immuta: TestEmulator;
  let test: TestStack;

  beforeAll(async () => {
    immuta = await startTestEmulator();
    test = await createTestStack({ program: "gitops", immutaUrl: immuta.emulator.url, apiKey: API_KEY });
  });

  afterAll(async () => {
    await test?.dispose();
    await immuta?.emulator.close();
  });

  it("fails naming the difference, writes nothing, keeps what it adopted, and the next up adopts the rest", async () => {
    for (const name of ["alpha", "beta", "gamma"]) {
      await immuta.control.seedDataSource({ name, prefix: `s3://acme-${name}/raw` });
    }
    const catalogue = path.join(test.programDir, "datasources.yaml");
    expect((await runGitops(test, ["export", "--out", catalogue])).exitCode).toBe(0);
    const exported = fs.readFileSync(catalogue, "utf8");
    // A reviewer's typo: adoption by id checks the name too.
    fs.writeFileSync(catalogue, exported.replace("dataSourceName: gamma", "dataSourceName: gama"));

    await immuta.clear();
    const failed = await runGitops(test, ["up"]);
    expect(failed.exitCode).toBe(2);
    expect(failed.stdout).toContain(
      'name: Immuta has "gamma", the declaration says "gama"\nChange the declaration to match Immuta, or adopt a ' +
        "different source.",
    );

    expect(failed.stderr).toContain(
      "The plan only adopts existing sources: the state is saved once, at the end.",
    );

    // The state saved at the end of the failed run holds the two sources it did adopt.
    fs.writeFileSync(catalogue, exported);
    const fixed = await runGitops(test, ["up"]);
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stdout).toContain("| adopt | 1 |\n| unchanged | 2 |\n");
    expect(await writesTo(immuta)).toEqual([]);
    const steps = stepRecorder();
    await test.stack.preview({ expectNoChanges: true, onEvent: steps.onEvent });
    expect(opsOf(steps.steps)).toEqual({ same: 3 });
  });
});
