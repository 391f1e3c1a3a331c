import {
  createBody,
  startTestEmulator,
  type CreatedBody,
  type DataSourceBody,
  type DeleteBody,
  type HandlerBody,
  type SearchBody,
  type TestEmulator,
} from "./helpers/emulator";
import { textContaining } from "../helpers/matchers";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    integrations: [{ id: 1, awsLocationPath: "s3://", awsAccountId: "987654321098", awsRegion: "eu-west-1" }],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

describe("names", () => {
  test("honour (default) keeps the requested name", async () => {
    expect((await emulator.control.modes()).names).toBe("honour");
    expect((await emulator.create("research", "bucket-a/x")).body.dataSourceName).toBe("research");
  });

  test("generate renames to '<s3 uri> (<masked account>/<region>)' and stores that name", async () => {
    await emulator.control.setModes({ names: "generate" });
    const created = await emulator.create("research", "bucket-a//x/");
    expect(created.body.dataSourceName).toBe("s3://bucket-a/x (987*****1098/eu-west-1)");
    expect(
      (await emulator.call<DataSourceBody>("GET", `/dataSource/${created.body.dataSourceId}`)).body.name,
    ).toBe(created.body.dataSourceName);
    // The requested name is not what is stored, so it is free and not findable.
    expect((await emulator.call("GET", "/dataSource/name/research")).status).toBe(404);
  });

  test("a mode passed at start applies from the first request", async () => {
    const generating = await startTestEmulator({ names: "generate" });
    try {
      const created = await generating.create("x", "bucket-a");
      expect(created.body.dataSourceName).toBe("s3://bucket-a (123*****9012/us-east-2)");
    } finally {
      await generating.close();
    }
  });
});

describe("handlerIds", () => {
  test("separate (default): handler ids come from another counter; the data source id is not a handler id", async () => {
    const first = await emulator.create("first", "bucket-a/1");
    const second = await emulator.create("second", "bucket-a/2");
    expect([first.body.dataSourceId, second.body.dataSourceId]).toEqual([1, 2]);
    const store = await emulator.control.store();
    expect(store.dataSources.map((source) => source.handlerId)).toEqual([1001, 1002]);
    expect((await emulator.call("GET", "/native-s3/handler/1")).status).toBe(404);
    expect(
      (await emulator.call<HandlerBody>("GET", "/native-s3/handler/1002")).body.metadata.dataSourceName,
    ).toBe("second");
    expect((await emulator.call("GET", "/dataSource/1001")).status).toBe(404);
  });

  test("same: handlerId equals dataSourceId, and switching modes never reuses a handler id", async () => {
    await emulator.control.setModes({ handlerIds: "same" });
    await emulator.create("first", "bucket-a/1");
    expect((await emulator.call<HandlerBody>("GET", "/native-s3/handler/1")).body).toMatchObject({
      id: 1,
      dataSourceId: 1,
    });
    await emulator.control.setModes({ handlerIds: "separate" });
    await emulator.create("second", "bucket-a/2");
    await emulator.control.setModes({ handlerIds: "same" });
    await emulator.create("third", "bucket-a/3");
    const handlerIds = (await emulator.control.store()).dataSources.map((source) => [
      source.id,
      source.handlerId,
    ]);
    expect(handlerIds).toEqual([
      [1, 1],
      [2, 1001],
      [3, 3],
    ]);
  });
});

describe("multiSourceResponse", () => {
  const twoSources = createBody([
    { dataSourceName: "first", prefix: "bucket-a/1" },
    { dataSourceName: "second", prefix: "bucket-a/2" },
  ]);

  test("array (default): every created source, in request order", async () => {
    const response = await emulator.call<CreatedBody[]>("POST", "/native-s3/handler", { body: twoSources });
    expect(response.body).toEqual([
      { dataSourceId: 1, prefix: "bucket-a/1", dataSourceName: "first" },
      { dataSourceId: 2, prefix: "bucket-a/2", dataSourceName: "second" },
    ]);
  });

  test("first: only the first object, although all are created", async () => {
    await emulator.control.setModes({ multiSourceResponse: "first" });
    const response = await emulator.call<CreatedBody>("POST", "/native-s3/handler", { body: twoSources });
    expect(response.body).toEqual({ dataSourceId: 1, prefix: "bucket-a/1", dataSourceName: "first" });
    expect((await emulator.control.store()).dataSources).toHaveLength(2);
  });
});

describe("blobHandler", () => {
  test("absent: GET /dataSource/{id} has no blobHandler member; present brings it back", async () => {
    await emulator.create("research", "bucket-a");
    await emulator.control.setModes({ blobHandler: "absent" });
    const without = await emulator.call<DataSourceBody>("GET", "/dataSource/1");
    expect(without.status).toBe(200);
    expect(without.body).not.toHaveProperty("blobHandler");
    await emulator.control.setModes({ blobHandler: "present" });
    expect((await emulator.call<DataSourceBody>("GET", "/dataSource/1")).body.blobHandler?.url).toMatch(
      /\/native-s3\/handler\/1001$/,
    );
  });
});

describe("deleteResponse", () => {
  test("documented (default): no hardDelete member; with-hard-delete adds it to both calls", async () => {
    await emulator.create("first", "bucket-a/1");
    await emulator.create("second", "bucket-a/2");
    const disabled = await emulator.call<DeleteBody>("DELETE", "/dataSource/1");
    const purged = await emulator.call<DeleteBody>("DELETE", "/dataSource/1");
    expect([disabled.body.disabled, purged.body.disabled]).toEqual([true, false]);
    expect(disabled.body).not.toHaveProperty("hardDelete");
    expect(purged.body).not.toHaveProperty("hardDelete");

    await emulator.control.setModes({ deleteResponse: "with-hard-delete" });
    const legacyDisabled = await emulator.call<DeleteBody>("DELETE", "/dataSource/2");
    const legacyPurged = await emulator.call<DeleteBody>("DELETE", "/dataSource/2");
    expect([legacyDisabled.body.hardDelete, legacyPurged.body.hardDelete]).toEqual([false, true]);
  });
});

describe("dataSourceStatus", () => {
  test("passed (default) or Ready, in GET /dataSource/{id} and in search hits", async () => {
    await emulator.create("research", "bucket-a");
    const statuses = async () => [
      (await emulator.call<DataSourceBody>("GET", "/dataSource/1")).body.status,
      (await emulator.call<SearchBody>("GET", "/dataSource")).body.hits[0].status,
    ];
    expect(await statuses()).toEqual(["passed", "passed"]);
    await emulator.control.setModes({ dataSourceStatus: "Ready" });
    expect(await statuses()).toEqual(["Ready", "Ready"]);
  });
});

describe("handler fields", () => {
  test("handlerIntegrationId: a number (default) or a numeric string", async () => {
    await emulator.create("research", "bucket-a");
    expect(
      (await emulator.call<HandlerBody>("GET", "/native-s3/handler/1001")).body.metadata.integrationId,
    ).toBe(1);
    await emulator.control.setModes({ handlerIntegrationId: "string" });
    expect(
      (await emulator.call<HandlerBody>("GET", "/native-s3/handler/1001")).body.metadata.integrationId,
    ).toBe("1");
  });

  test("handlerLocation: awsLocationPath present (default) or absent", async () => {
    await emulator.create("research", "bucket-a");
    expect((await emulator.call<HandlerBody>("GET", "/native-s3/handler/1001")).body.awsLocationPath).toBe(
      "s3://",
    );
    await emulator.control.setModes({ handlerLocation: "absent" });
    const handler = await emulator.call<HandlerBody>("GET", "/native-s3/handler/1001");
    expect(handler.body).not.toHaveProperty("awsLocationPath");
    expect(handler.body.metadata.prefix).toBe("bucket-a");
  });
});

test("modes passed at start apply from the first request", async () => {
  const legacy = await startTestEmulator({
    prefixForm: "absolute",
    deleteResponse: "with-hard-delete",
    dataSourceStatus: "Ready",
    handlerIntegrationId: "string",
  });
  try {
    const created = await legacy.create("legacy", "s3://bucket-a/x");
    expect(created.body.prefix).toBe("s3://bucket-a/x");
    expect((await legacy.call<DataSourceBody>("GET", "/dataSource/1")).body.status).toBe("Ready");
    expect(
      (await legacy.call<HandlerBody>("GET", "/native-s3/handler/1001")).body.metadata.integrationId,
    ).toBe("1");
    expect((await legacy.call<DeleteBody>("DELETE", "/dataSource/1")).body.hardDelete).toBe(false);
    await legacy.control.reset();
    expect(await legacy.control.modes()).toMatchObject({ prefixForm: "absolute", dataSourceStatus: "Ready" });
  } finally {
    await legacy.close();
  }
});

test("unknown mode values and members are a 400 naming them", async () => {
  const bad = { prefixForm: "sideways" } as unknown as { prefixForm: "relative" };
  await expect(emulator.control.setModes(bad)).rejects.toMatchObject({ status: 400 });
  const unknown = { prefixForms: "relative" } as unknown as { prefixForm: "relative" };
  await expect(emulator.control.setModes(unknown)).rejects.toMatchObject({
    status: 400,
    serverMessage: textContaining("prefixForms"),
  });
});

test("reset returns to the modes configured at start", async () => {
  await emulator.control.setModes({ names: "generate", handlerIds: "same", multiSourceResponse: "first" });
  await emulator.control.reset();
  // Immuta's documented behaviour wherever it is documented.
  expect(await emulator.control.modes()).toEqual({
    names: "honour",
    handlerIds: "separate",
    multiSourceResponse: "array",
    blobHandler: "present",
    prefixForm: "relative",
    integrationsApi: "served",
    searchHits: "summary",
    searchOffset: "records",
    visibility: "documented",
    deleteResponse: "documented",
    dataSourceStatus: "passed",
    handlerIntegrationId: "number",
    handlerLocation: "present",
    integrationLocations: "unique",
    rawApiKey: "accepted",
    keySegments: "collapse",
    unknownTags: "reject",
    tagList: "array",
    currentUser: "served",
    rateLimit: null,
  });
});
