import {
  createBody,
  startTestEmulator,
  type CreatedBody,
  type DataSourceBody,
  type HandlerBody,
  type TestEmulator,
} from "./helpers/emulator";

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
    expect((await emulator.create("research", "s3://bucket-a/x")).body.dataSourceName).toBe("research");
  });

  test("generate renames to '<s3 uri> (<masked account>/<region>)' and stores that name", async () => {
    await emulator.control.setModes({ names: "generate" });
    const created = await emulator.create("research", "s3://bucket-a//x/");
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
      const created = await generating.create("x", "s3://bucket-a");
      expect(created.body.dataSourceName).toBe("s3://bucket-a (123*****9012/us-east-2)");
    } finally {
      await generating.close();
    }
  });
});

describe("handlerIds", () => {
  test("separate (default): handler ids come from another counter; the data source id is not a handler id", async () => {
    const first = await emulator.create("first", "s3://bucket-a/1");
    const second = await emulator.create("second", "s3://bucket-a/2");
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
    await emulator.create("first", "s3://bucket-a/1");
    expect((await emulator.call<HandlerBody>("GET", "/native-s3/handler/1")).body).toMatchObject({
      id: 1,
      dataSourceId: 1,
    });
    await emulator.control.setModes({ handlerIds: "separate" });
    await emulator.create("second", "s3://bucket-a/2");
    await emulator.control.setModes({ handlerIds: "same" });
    await emulator.create("third", "s3://bucket-a/3");
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
    { dataSourceName: "first", prefix: "s3://bucket-a/1" },
    { dataSourceName: "second", prefix: "s3://bucket-a/2" },
  ]);

  test("array (default): every created source, in request order", async () => {
    const response = await emulator.call<CreatedBody[]>("POST", "/native-s3/handler", { body: twoSources });
    expect(response.body).toEqual([
      { dataSourceId: 1, prefix: "s3://bucket-a/1", dataSourceName: "first" },
      { dataSourceId: 2, prefix: "s3://bucket-a/2", dataSourceName: "second" },
    ]);
  });

  test("first: only the first object, although all are created", async () => {
    await emulator.control.setModes({ multiSourceResponse: "first" });
    const response = await emulator.call<CreatedBody>("POST", "/native-s3/handler", { body: twoSources });
    expect(response.body).toEqual({ dataSourceId: 1, prefix: "s3://bucket-a/1", dataSourceName: "first" });
    expect((await emulator.control.store()).dataSources).toHaveLength(2);
  });
});

describe("blobHandler", () => {
  test("absent: GET /dataSource/{id} has no blobHandler member; present brings it back", async () => {
    await emulator.create("research", "s3://bucket-a");
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

test("reset returns to the modes configured at start", async () => {
  await emulator.control.setModes({ names: "generate", handlerIds: "same", multiSourceResponse: "first" });
  await emulator.control.reset();
  expect(await emulator.control.modes()).toEqual({
    names: "honour",
    handlerIds: "separate",
    multiSourceResponse: "array",
    blobHandler: "present",
  });
});
