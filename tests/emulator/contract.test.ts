import {
  createBody,
  shapeOf,
  startTestEmulator,
  type BoomBody,
  type CreatedBody,
  type DataSourceBody,
  type DeleteBody,
  type HandlerBody,
  type SearchBody,
  type TestEmulator,
} from "./helpers/emulator";
import { textMatching } from "../helpers/matchers";

// Immuta's documented example bodies ("Create and Manage an Amazon S3 Data Source", see docs/immuta-api.md), verbatim.
const DOCUMENTED_CREATE_RESPONSE = {
  dataSourceId: 1,
  prefix: "research-data-source",
  dataSourceName: "s3://research-data-source (64*****50499/us-east-2)",
};
const DOCUMENTED_HANDLER_RESPONSE = {
  id: 1,
  metadata: {
    prefix: "research-data-source",
    integrationId: 2,
    dataSourceName: "s3://research-data-source (64*****50499/us-east-2)",
  },
  type: "nativeS3Handler",
  awsLocationPath: "s3://",
};
const DOCUMENTED_DELETE_RESPONSE = {
  success: true,
  id: 1,
  schemaEvolutionId: 1,
  name: "s3://research-data-source (64*****50499/us-east-2)",
  disabled: true,
  handlerDeleteErrorMessage: null,
};

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

describe("Immuta's documented examples, by default", () => {
  // The documented integration: id 2, location s3://, in us-east-2.
  let documented: TestEmulator;
  beforeAll(async () => {
    documented = await startTestEmulator({
      integrations: [
        { id: 2, awsLocationPath: "s3://", awsAccountId: "640000050499", awsRegion: "us-east-2" },
      ],
    });
  });
  afterAll(() => documented.close());
  beforeEach(() => documented.control.reset());

  test("create: the documented request gives the documented body (relative prefix, generated name)", async () => {
    await documented.control.setModes({ names: "generate" });
    const response = await documented.call<CreatedBody>("POST", "/native-s3/handler", {
      headers: { accept: "application/json" },
      body: createBody([{ dataSourceName: "research", prefix: "research-data-source" }], 2),
    });
    expect(response.status).toBe(200);
    expect(shapeOf(response.body)).toEqual(shapeOf(DOCUMENTED_CREATE_RESPONSE));
    // Only the masking of the account differs; clients must not parse generated names.
    expect(response.body).toEqual({
      ...DOCUMENTED_CREATE_RESPONSE,
      dataSourceName: "s3://research-data-source (640*****0499/us-east-2)",
    });
    expect((await documented.control.store()).dataSources[0].prefix).toBe("s3://research-data-source");
  });

  test("handler and delete: the documented bodies, value for value, for a seeded source", async () => {
    await documented.control.setModes({ handlerIds: "same" });
    const seeded = await documented.control.seedDataSource({
      name: DOCUMENTED_HANDLER_RESPONSE.metadata.dataSourceName,
      prefix: "s3://research-data-source",
      integrationId: 2,
    });
    expect(seeded.id).toBe(1);

    const handler = await documented.call<HandlerBody>("GET", "/native-s3/handler/1");
    expect(handler.status).toBe(200);
    const { dataSourceId, ...documentedMembers } = handler.body;
    expect(dataSourceId).toBe(1); // the one extra member
    expect(documentedMembers).toEqual(DOCUMENTED_HANDLER_RESPONSE);

    const deleted = await documented.call<DeleteBody>("DELETE", "/dataSource/1", {
      headers: { "content-type": "application/json" },
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual(DOCUMENTED_DELETE_RESPONSE);
    const purged = await documented.call<DeleteBody>("DELETE", "/dataSource/1");
    expect(purged.body).toEqual({ ...DOCUMENTED_DELETE_RESPONSE, disabled: false });
  });
});

describe("POST /native-s3/handler", () => {
  test("creates a source owned by the caller; the relative prefix is echoed canonical, stored absolute", async () => {
    const response = await emulator.create("research", "research-bucket//raw//2024/");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      dataSourceId: 1,
      prefix: "research-bucket/raw/2024",
      dataSourceName: "research",
    });
    const { dataSources } = await emulator.control.store();
    expect(dataSources).toEqual([
      expect.objectContaining({
        id: 1,
        name: "research",
        prefix: "s3://research-bucket/raw/2024",
        owner: "demo",
      }),
    ]);
  });

  test("a duplicate name or a duplicate canonical prefix is a 409 saying 'already exists'", async () => {
    expect((await emulator.create("research", "bucket-a/x")).status).toBe(200);
    const sameName = await emulator.create("research", "bucket-b/y");
    expect(sameName.status).toBe(409);
    expect((sameName.body as unknown as BoomBody).message).toContain("already exists");
    const samePrefix = await emulator.create("other", "bucket-a//x/");
    expect(samePrefix.status).toBe(409);
    expect(samePrefix.body).toEqual({
      statusCode: 409,
      error: "Conflict",
      message: 'A data source with the prefix "s3://bucket-a/x" already exists',
    });
  });

  test("several sources: an array in request order; a conflict in one creates none", async () => {
    const body = createBody([
      { dataSourceName: "first", prefix: "bucket-a/1" },
      { dataSourceName: "second", prefix: "bucket-a/2" },
    ]);
    const created = await emulator.call<CreatedBody[]>("POST", "/native-s3/handler", { body });
    expect(created.status).toBe(200);
    expect(created.body.map((source) => source.dataSourceName)).toEqual(["first", "second"]);
    expect(created.body.map((source) => source.dataSourceId)).toEqual([1, 2]);

    const clash = await emulator.call("POST", "/native-s3/handler", {
      body: createBody([
        { dataSourceName: "third", prefix: "bucket-a/3" },
        { dataSourceName: "first", prefix: "bucket-a/4" },
      ]),
    });
    expect(clash.status).toBe(409);
    expect((await emulator.control.store()).dataSources.map((source) => source.name)).toEqual([
      "first",
      "second",
    ]);
  });

  test.each([
    ["an upper-case bucket", "Research/data", "lower-case"],
    ["a '..' segment", "bucket/a/../b", "'..'"],
    ["a control character", "bucket/a\u0007b", "control"],
    ["an absolute s3:// URI", "s3://bucket/a", "must not start with a scheme such as s3://"],
    ["another scheme", "https://bucket/a", "must not start with a scheme"],
    ["a leading slash", "/bucket/a", 'must not start with "/"'],
    ["nothing (s3:// names no bucket)", "", "names no bucket"],
    ["an invalid bucket name", "a_b/c", "may contain only lower-case letters"],
  ])(
    "a prefix with %s is a 400 naming the prefix key and the relative reading",
    async (_case, prefix, text) => {
      const response = await emulator.create("bad", prefix);
      expect(response.status).toBe(400);
      const boom = response.body as unknown as BoomBody;
      expect(boom.message).toContain(text);
      expect(boom.message).toContain(
        "the prefix is read relative to the integration's awsLocationPath s3://",
      );
      expect(boom.validation).toEqual({ source: "payload", keys: ["dataSources.0.prefix"] });
      expect((await emulator.control.store()).dataSources).toEqual([]);
    },
  );

  test("an unknown integration is a 422, reported before the prefix is read", async () => {
    const unknown = await emulator.create("nowhere", "s3://not-relative", { integrationId: 99 });
    expect(unknown.status).toBe(422);
    expect((unknown.body as unknown as BoomBody).message).toBe("Integration 99 does not exist");
  });
});

describe("GET /dataSource/{id} and the handler", () => {
  test("documented members, extras, and a blobHandler.url that leads to the handler", async () => {
    await emulator.create("research", "research-bucket/raw");
    const response = await emulator.call<DataSourceBody & Record<string, unknown>>("GET", "/dataSource/1");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: 1,
      name: "research",
      deleted: false,
      status: "passed",
      blobHandlerType: "Native S3",
      blobHandler: { url: `${emulator.url}/native-s3/handler/1001` },
      connectionString: "s3://research-bucket/raw",
      createdAt: textMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: textMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(Object.keys(response.body).length).toBeGreaterThan(10); // undocumented extras a client must ignore

    const handler = await emulator.call<HandlerBody>("GET", new URL(response.body.blobHandler!.url).pathname);
    expect(handler.status).toBe(200);
    expect(handler.body).toEqual({
      id: 1001,
      dataSourceId: 1,
      metadata: { prefix: "research-bucket/raw", integrationId: 1, dataSourceName: "research" },
      type: "nativeS3Handler",
      awsLocationPath: "s3://",
    });
  });

  test("unknown ids are 404 Boom envelopes", async () => {
    expect((await emulator.call("GET", "/dataSource/42")).body).toEqual({
      statusCode: 404,
      error: "Not Found",
      message: "Data source 42 not found",
    });
    expect((await emulator.call("GET", "/native-s3/handler/42")).status).toBe(404);
  });
});

describe("lookup and search", () => {
  test("GET /dataSource/name/{name} decodes the name, including slashes and spaces", async () => {
    await emulator.control.setModes({ names: "generate" });
    const created = await emulator.create("ignored", "research-bucket/raw");
    const name = created.body.dataSourceName;
    expect(name).toBe("s3://research-bucket/raw (123*****9012/us-east-2)");
    const found = await emulator.call<DataSourceBody>("GET", `/dataSource/name/${encodeURIComponent(name)}`);
    expect(found.status).toBe(200);
    expect(found.body.id).toBe(created.body.dataSourceId);
    expect((await emulator.call("GET", "/dataSource/name/ignored")).status).toBe(404);
  });

  test("GET /dataSource pages a case-insensitive name search", async () => {
    for (const name of ["alpha-one", "beta", "Alpha-two", "alpha-three"]) {
      await emulator.create(name, `bucket-x/${name.toLowerCase()}`);
    }
    const page = await emulator.call<SearchBody>("GET", "/dataSource?searchText=ALPHA&size=2&offset=1");
    expect(page.status).toBe(200);
    expect(page.body.count).toBe(3);
    expect(page.body.hits.map((hit) => hit.name)).toEqual(["Alpha-two", "alpha-three"]);
    const all = await emulator.call<SearchBody>("GET", "/dataSource");
    expect(all.body.count).toBe(4);
    const bad = await emulator.call<BoomBody>("GET", "/dataSource?size=-1");
    expect(bad.status).toBe(400);
    expect(bad.body.validation).toEqual({ source: "query", keys: ["size"] });
  });
});

describe("PUT /dataSource/{id}", () => {
  test("renames, keeps names unique, and answers with the updated source", async () => {
    await emulator.create("first", "bucket-a/1");
    await emulator.create("second", "bucket-a/2");
    const renamed = await emulator.call<DataSourceBody>("PUT", "/dataSource/1", {
      body: { name: "renamed" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: 1, name: "renamed" });
    expect(renamed.body.updatedAt >= renamed.body.createdAt).toBe(true);

    const clash = await emulator.call<BoomBody>("PUT", "/dataSource/1", { body: { name: "second" } });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toContain("already exists");
    expect((await emulator.call("PUT", "/dataSource/99", { body: { name: "x" } })).status).toBe(404);
    expect((await emulator.call<DataSourceBody>("GET", "/dataSource/name/renamed")).body.id).toBe(1);
  });
});

test("an unknown route is a 404 Boom envelope, even unauthenticated", async () => {
  const response = await emulator.call("GET", "/dataSources", { auth: null });
  expect(response.status).toBe(404);
  expect(response.body).toEqual({ statusCode: 404, error: "Not Found", message: "Not Found" });
});
