/**
 * `ImmutaS3DataSource.get`: sources a program references without managing them, read by id through the real
 * engine (a read step whose properties carry only the provider reference and the tenant).
 */
import { API_KEY, count, startTestEmulator, type TestEmulator } from "./support/emulator";
import { createTestStack, opsOf, stepRecorder, type TestStack } from "./support/stack";

jest.setTimeout(300_000);

const PRODUCTION_KEY = "e2e-production-key-5e61b7";

let immuta: TestEmulator;
let production: TestEmulator;
let test: TestStack;
let research: number;
let ledger: number;
let archive: number;

beforeAll(async () => {
  immuta = await startTestEmulator({
    integrations: [
      { id: 1, awsLocationPath: "s3://", awsAccountId: "123456789012", awsRegion: "us-east-2" },
      { id: 2, awsLocationPath: "s3://acme-finance/", awsAccountId: "210987654321", awsRegion: "eu-west-1" },
    ],
  });
  production = await startTestEmulator({ apiKey: PRODUCTION_KEY });
  research = (await immuta.control.seedDataSource({ name: "research", prefix: "s3://acme-research/raw" })).id;
  ledger = (
    await immuta.control.seedDataSource({
      name: "ledger",
      prefix: "s3://acme-finance/ledger",
      integrationId: 2,
    })
  ).id;
  archive = (await production.control.seedDataSource({ name: "archive", prefix: "s3://acme-archive/2020" }))
    .id;
  test = await createTestStack({ program: "reference", immutaUrl: immuta.emulator.url, apiKey: API_KEY });
  await test.stack.setConfig("immuta:tenants", {
    value: JSON.stringify({ production: { url: production.emulator.url, apiKey: PRODUCTION_KEY } }),
    secret: true,
  });
});

afterAll(async () => {
  await test?.dispose();
  await immuta?.emulator.close();
  await production?.emulator.close();
});

const setReferences = (references: Record<string, { id: string; tenant?: string }>) =>
  test.stack.setConfig("e2e:references", { value: JSON.stringify(references) });

const writes = async (emulator: TestEmulator) => count(await emulator.calls(), /^(POST|PUT|DELETE) /);

it("get returns each source's outputs as Immuta holds it, in the declaration's vocabulary, writing nothing", async () => {
  await setReferences({
    research: { id: String(research) },
    ledger: { id: String(ledger) },
    archive: { id: String(archive), tenant: "production" },
  });
  const steps = stepRecorder();
  const result = await test.stack.up({ onEvent: steps.onEvent });
  expect(opsOf(steps.steps)).toEqual({ read: 3 });
  const stored = (await immuta.control.store()).dataSources;
  const handlerOf = (id: number) => stored.find((source) => source.id === id)!.handlerId;
  const { archive: inProduction, ...inDefault } = result.outputs.referenced.value as Record<string, unknown>;
  expect(inProduction).toMatchObject({
    dataSourceId: archive,
    prefix: "s3://acme-archive/2020",
    dataSourceName: "archive",
    tenant: "production",
  });
  expect(inDefault).toEqual({
    research: {
      dataSourceId: research,
      handlerId: handlerOf(research),
      integrationId: 1,
      prefix: "s3://acme-research/raw",
      dataSourceName: "research",
      immutaName: "research",
      tenant: "default",
      disabled: false,
      awsLocationPath: "s3://",
    },
    ledger: {
      dataSourceId: ledger,
      handlerId: handlerOf(ledger),
      integrationId: 2,
      // Immuta answers relative to the integration's location; the output is absolute, as a declaration is.
      prefix: "s3://acme-finance/ledger",
      dataSourceName: "ledger",
      immutaName: "ledger",
      tenant: "default",
      disabled: false,
      awsLocationPath: "s3://acme-finance",
    },
  });
  expect(await writes(immuta)).toBe(0);
  expect(await writes(production)).toBe(0);
  expect(await production.calls()).toContain(`GET /dataSource/${archive}`);

  const exported = await test.stack.exportStack();
  const resources = (exported.deployment as { resources: { type: string; external?: boolean }[] }).resources;
  const references = resources.filter((resource) => resource.type.includes("immuta:S3DataSource"));
  expect(references).toHaveLength(3);
  for (const reference of references) expect(reference).toMatchObject({ external: true });
});

it("reads the source again on every up, so a rename in Immuta shows, and refresh writes nothing", async () => {
  await immuta.control.mutateDataSource(research, { name: "research-renamed" });
  await immuta.clear();
  const result = await test.stack.up();
  const outputs = result.outputs.referenced.value as Record<
    string,
    { dataSourceName: string; immutaName: string }
  >;
  expect(outputs.research).toMatchObject({
    dataSourceName: "research-renamed",
    immutaName: "research-renamed",
  });
  await test.stack.refresh();
  expect(await writes(immuta)).toBe(0);
});

it("an id Immuta does not hold fails the up, saying what was read and what to check", async () => {
  await setReferences({ missing: { id: "999" } });
  await expect(test.stack.up()).rejects.toThrow(
    /Reading data source id 999 failed: Immuta answered 404 to GET \/dataSource\/999, so it holds no data source with/,
  );
  await setReferences({ bad: { id: "research" } });
  await expect(test.stack.up()).rejects.toThrow(
    /pulumi import and ImmutaS3DataSource.get take Immuta's data source id/,
  );
});

it("destroy forgets references without deleting anything in Immuta", async () => {
  await setReferences({ research: { id: String(research) }, ledger: { id: String(ledger) } });
  await test.stack.up();
  await immuta.clear();
  await test.stack.destroy();
  expect(await writes(immuta)).toBe(0);
  expect((await immuta.control.store()).dataSources.map((source) => source.id).sort()).toEqual(
    [research, ledger].sort(),
  );
});
