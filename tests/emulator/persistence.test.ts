import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatorControl, startEmulator, type StoreSnapshot } from "../../emulator";
import { compileEmulatorCli, spawnCli, waitForReady } from "./helpers/compiled-cli";
import { ADMIN_TOKEN, DEMO_KEY, createBody, startTestEmulator, type CreatedBody } from "./helpers/emulator";

let directory: string;
let dataFile: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "immuta-emulator-state-"));
  dataFile = join(directory, "state.json");
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function namesOnDisk(): string[] {
  const content = JSON.parse(readFileSync(dataFile, "utf8")) as StoreSnapshot & { format: string };
  expect(content.format).toBe("immuta-emulator-state");
  return content.dataSources.map((source) => source.name);
}

test("every acknowledged mutation is on disk before the response, and a restart loads it all", async () => {
  const first = await startTestEmulator({ dataFile });
  let before: StoreSnapshot;
  try {
    for (const name of ["one", "two", "three"]) {
      expect((await first.create(name, `bucket-a/${name}`)).status).toBe(200);
      expect(namesOnDisk()).toContain(name); // read right after the ack: already durable
    }
    await first.call("DELETE", "/dataSource/2"); // disabled
    await first.call("DELETE", "/dataSource/3");
    await first.call("DELETE", "/dataSource/3"); // purged
    await first.control.seedIntegration({ id: 5, awsLocationPath: "s3://team-bucket" });
    await first.control.mutateDataSource(1, { name: "one-renamed", public: true, subscribers: ["ada"] });
    expect((await first.call("POST", "/tag", { body: { tags: [{ name: "Legal.Contracts" }] } })).status).toBe(
      200,
    );
    expect(
      (await first.call("POST", "/tag/datasource/1", { body: [{ name: "Legal.Contracts" }] })).status,
    ).toBe(200);
    await first.control.tagDataSource(1, [{ name: "Discovered.PII", source: "sdd" }]);
    await first.control.mutateDataSource(2, { description: "Nightly extract" });
    before = await first.control.store();
    expect(await first.control.tagLibrary()).toContain("Legal.Contracts");
  } finally {
    await first.close();
  }

  const second = await startTestEmulator({ dataFile });
  try {
    const after = await second.control.store();
    expect(after).toEqual(before);
    expect(
      after.dataSources.map((source) => [
        source.name,
        source.deleted,
        source.public,
        source.subscribers,
        source.description,
        source.tags.map((tag) => `${tag.name}/${tag.source}`),
      ]),
    ).toEqual([
      ["one-renamed", false, true, ["ada"], null, ["Legal.Contracts/curated", "Discovered.PII/sdd"]],
      ["two", true, false, [], "Nightly extract", []],
    ]);
    expect(await second.control.tagLibrary()).toContain("Legal.Contracts");
    // Counters continue: no id is ever handed out twice.
    expect((await second.create("four", "four", { integrationId: 5 })).body.dataSourceId).toBe(4);
  } finally {
    await second.close();
  }
});

test("a file written before sources had public, subscribers, description and tags, or a tag library, loads defaults", async () => {
  const source = {
    id: 1,
    handlerId: 1001,
    name: "old",
    prefix: "s3://old-bucket",
    integrationId: 1,
    deleted: false,
    owner: "demo",
    schemaEvolutionId: 1,
    handlerDeleteErrorMessage: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
  writeFileSync(
    dataFile,
    JSON.stringify({
      format: "immuta-emulator-state",
      version: 1,
      dataSources: [source],
      integrations: [
        { id: 1, awsLocationPath: "s3://", awsAccountId: "123456789012", awsRegion: "us-east-2" },
      ],
      nextIds: { dataSourceId: 2, handlerId: 1002, schemaEvolutionId: 2 },
    }),
  );
  const loaded = await startTestEmulator({ dataFile });
  try {
    expect((await loaded.control.store()).dataSources).toEqual([
      { ...source, public: false, subscribers: [], description: null, tags: [] },
    ]);
    expect(await loaded.control.tagLibrary()).toContain("Finance.PII");
    expect((await loaded.call("GET", "/dataSource/1/tags")).body).toEqual([]);
  } finally {
    await loaded.close();
  }
});

test("the file's tag library is kept; tags given at start are added to it", async () => {
  const first = await startTestEmulator({ dataFile, tagLibrary: ["Region.EU"] });
  await first.control.addLibraryTags(["Region.US"]);
  await first.close();

  const same = await startTestEmulator({ dataFile });
  try {
    expect(await same.control.tagLibrary()).toEqual(["Region", "Region.EU", "Region.US"]);
  } finally {
    await same.close();
  }
  const more = await startTestEmulator({ dataFile, tagLibrary: ["Public"] });
  try {
    expect(await more.control.tagLibrary()).toEqual(["Public", "Region", "Region.EU", "Region.US"]);
    // Reset returns to what was configured at this start.
    await more.control.reset();
    expect(await more.control.tagLibrary()).toEqual(["Public"]);
  } finally {
    await more.close();
  }
});

test("a data file with a tag that is not a tag name stops the start", async () => {
  writeFileSync(
    dataFile,
    JSON.stringify({
      format: "immuta-emulator-state",
      version: 1,
      dataSources: [],
      integrations: [],
      nextIds: { dataSourceId: 1, handlerId: 1001, schemaEvolutionId: 1 },
      tagLibrary: ["Finance..PII"],
    }),
  );
  await expect(startEmulator({ dataFile })).rejects.toThrow(/is not an emulator state file: \/tagLibrary\/0/);
});

test("two integrations sharing a location stop the start, unless integrationLocations is shared", async () => {
  const integrations = [
    { id: 1, awsLocationPath: "s3://", awsAccountId: "123456789012", awsRegion: "us-east-2" },
    { id: 2, awsLocationPath: "s3:///", awsAccountId: "123456789012", awsRegion: "us-east-2" },
  ];
  await expect(startEmulator({ integrations })).rejects.toThrow(
    "Integration 1 already exists with the awsLocationPath s3://",
  );
  const shared = await startEmulator({ integrations, integrationLocations: "shared" });
  await shared.close();
});

test("reset is persisted too", async () => {
  const first = await startTestEmulator({ dataFile });
  await first.create("one", "bucket-a");
  await first.control.reset();
  await first.close();
  expect(namesOnDisk()).toEqual([]);
});

test("an unreadable or unwritable data file stops the start with a clear error; stale temp files are removed", async () => {
  writeFileSync(dataFile, '{"dataSources": [');
  await expect(startEmulator({ dataFile })).rejects.toThrow(/is not valid JSON/);
  writeFileSync(dataFile, JSON.stringify({ hello: "world" }));
  await expect(startEmulator({ dataFile })).rejects.toThrow(/is not an emulator state file/);

  await expect(startEmulator({ dataFile: join(directory, "missing-dir", "state.json") })).rejects.toThrow(
    /ENOENT/,
  );

  rmSync(dataFile);
  const staleTemp = `${dataFile}.12345.7.tmp`;
  writeFileSync(staleTemp, "{");
  const emulator = await startEmulator({ dataFile });
  await emulator.close();
  expect(existsSync(staleTemp)).toBe(false);
});

describe("a SIGKILLed emulator process", () => {
  let compiled: ReturnType<typeof compileEmulatorCli>;
  beforeAll(() => {
    compiled = compileEmulatorCli();
  });
  afterAll(() => compiled.cleanup());

  test("loses no acknowledged source during a burst of creates and leaves a parseable file", async () => {
    const cli = spawnCli(compiled.cliPath, ["--port", "0", "--data-file", dataFile], {
      IMMUTA_EMULATOR_API_KEY: DEMO_KEY,
      IMMUTA_EMULATOR_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    const url = await waitForReady(cli);
    const acknowledged: CreatedBody[] = [];
    let next = 0;
    let killed = false;

    const worker = async (): Promise<void> => {
      while (!killed) {
        const name = `burst-${next++}`;
        try {
          const response = await fetch(`${url}/native-s3/handler`, {
            method: "POST",
            headers: { authorization: DEMO_KEY, "content-type": "application/json" },
            body: JSON.stringify(createBody([{ dataSourceName: name, prefix: `burst-bucket/${name}` }])),
          });
          if (response.status !== 200) throw new Error(`create ${name}: ${response.status}`);
          acknowledged.push((await response.json()) as CreatedBody);
        } catch (error) {
          if (!killed) throw error;
          return; // in flight when the process died: never acknowledged
        }
        if (acknowledged.length >= 150 && !killed) {
          killed = true;
          cli.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect((await cli.exited).signal).toBe("SIGKILL");

    const onDisk = new Set(namesOnDisk()); // parses, or the test fails here
    const lost = acknowledged.filter((source) => !onDisk.has(source.dataSourceName));
    expect(lost).toEqual([]);

    const restarted = await startEmulator({ dataFile, apiKey: DEMO_KEY, adminToken: ADMIN_TOKEN });
    try {
      const stored = (await new EmulatorControl(restarted.url, ADMIN_TOKEN).store()).dataSources;
      expect(stored.length).toBeGreaterThanOrEqual(acknowledged.length);
      const storedIds = new Map(stored.map((source) => [source.name, source.id]));
      for (const source of acknowledged)
        expect(storedIds.get(source.dataSourceName)).toBe(source.dataSourceId);
    } finally {
      await restarted.close();
    }
  });
});
