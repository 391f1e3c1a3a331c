import {
  createBody,
  startTestEmulator,
  type BoomBody,
  type CreatedBody,
  type HandlerBody,
  type TestEmulator,
} from "./helpers/emulator";

// Three nested locations: the root, a bucket, and a folder of another bucket.
const ROOT = 1;
const BUCKET = 2;
const TEAM = 3;

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    integrations: [
      { id: ROOT, awsLocationPath: "s3://", awsAccountId: "123456789012", awsRegion: "us-east-2" },
      { id: BUCKET, awsLocationPath: "s3://bucket/", awsAccountId: "123456789012", awsRegion: "us-east-2" },
      {
        id: TEAM,
        awsLocationPath: "s3://common/team/",
        awsAccountId: "123456789012",
        awsRegion: "us-east-2",
      },
    ],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

async function storedPrefixes(): Promise<string[]> {
  return (await emulator.control.store()).dataSources.map((source) => source.prefix);
}

async function handlerOf(dataSourceId: number): Promise<HandlerBody> {
  const source = (await emulator.control.store()).dataSources.find((stored) => stored.id === dataSourceId);
  return (await emulator.call<HandlerBody>("GET", `/native-s3/handler/${source!.handlerId}`)).body;
}

describe("relative (default): the prefix is joined to the integration's awsLocationPath", () => {
  test.each([
    [ROOT, "bucket-a/key", "s3://bucket-a/key", "bucket-a/key"],
    [ROOT, "bucket-a", "s3://bucket-a", "bucket-a"],
    [BUCKET, "key", "s3://bucket/key", "key"],
    [BUCKET, "raw//2024/", "s3://bucket/raw/2024", "raw/2024"],
    [TEAM, "finance/q1", "s3://common/team/finance/q1", "finance/q1"],
  ])(
    "integration %i + %j is stored as %s and echoed as %j",
    async (integrationId, prefix, stored, echoed) => {
      const created = await emulator.create("source", prefix, { integrationId });
      expect(created.status).toBe(200);
      expect(created.body.prefix).toBe(echoed);
      expect(await storedPrefixes()).toEqual([stored]);
      expect((await handlerOf(created.body.dataSourceId)).metadata.prefix).toBe(echoed);
    },
  );

  test("an empty prefix is the location itself (echoed empty), except under s3://, which names no bucket", async () => {
    const team = await emulator.create("whole-team", "", { integrationId: TEAM });
    expect(team.status).toBe(200);
    expect(team.body.prefix).toBe("");
    expect(await storedPrefixes()).toEqual(["s3://common/team"]);

    const root = await emulator.create("everything", "", { integrationId: ROOT });
    expect(root.status).toBe(400);
    expect((root.body as unknown as BoomBody).message).toBe(
      "Invalid prefix: an empty prefix names no bucket (the prefix is read relative to the integration's " +
        "awsLocationPath s3://)",
    );
  });

  test("an absolute URI is not special: a 400 that says how the prefix is read, whatever the location", async () => {
    for (const integrationId of [ROOT, BUCKET, TEAM]) {
      const response = await emulator.create("absolute", "s3://bucket/key", { integrationId });
      expect(response.status).toBe(400);
      const boom = response.body as unknown as BoomBody;
      expect(boom.message).toContain("read relative to the integration's awsLocationPath");
      expect(boom.validation).toEqual({ source: "payload", keys: ["dataSources.0.prefix"] });
    }
    expect(await storedPrefixes()).toEqual([]);
  });

  test("the generated name, connectionString and uniqueness use the absolute prefix", async () => {
    await emulator.control.setModes({ names: "generate" });
    const created = await emulator.create("ignored", "finance", { integrationId: TEAM });
    expect(created.body).toEqual({
      dataSourceId: 1,
      prefix: "finance",
      dataSourceName: "s3://common/team/finance (123*****9012/us-east-2)",
    });
    const fetched = await emulator.call<{ connectionString: string }>("GET", "/dataSource/1");
    expect(fetched.body.connectionString).toBe("s3://common/team/finance");
    // The same place, named from the root integration: one prefix, so a 409.
    await emulator.control.setModes({ names: "honour" });
    const again = await emulator.create("again", "common/team/finance/", { integrationId: ROOT });
    expect(again.status).toBe(409);
    expect((again.body as unknown as BoomBody).message).toBe(
      'A data source with the prefix "s3://common/team/finance" already exists',
    );
  });
});

describe("absolute: s3:// URIs in and out", () => {
  beforeEach(() => emulator.control.setModes({ prefixForm: "absolute" }));

  test("an absolute prefix is canonicalised and echoed absolute, in the POST and the handler", async () => {
    const created = await emulator.create("source", "S3://bucket//raw/", { integrationId: BUCKET });
    expect(created.body.prefix).toBe("s3://bucket/raw");
    expect((await handlerOf(created.body.dataSourceId)).metadata.prefix).toBe("s3://bucket/raw");
  });

  test("a relative prefix is a 400; a prefix outside the location is a 422 (on / boundaries)", async () => {
    const relative = await emulator.create("relative", "raw", { integrationId: BUCKET });
    expect(relative.status).toBe(400);
    expect((relative.body as unknown as BoomBody).message).toBe(
      "Invalid prefix: must be an S3 URI starting with s3:// (for example s3://my-bucket/research)",
    );
    const inside = await emulator.create("inside", "s3://common/team/q1", { integrationId: TEAM });
    expect(inside.status).toBe(200);
    for (const outside of ["s3://common/teamx", "s3://common", "s3://other/team/q1"]) {
      const response = await emulator.create("outside", outside, { integrationId: TEAM });
      expect([outside, response.status]).toEqual([outside, 422]);
      expect((response.body as unknown as BoomBody).message).toBe(
        `Prefix ${outside} is not under the integration's awsLocationPath s3://common/team/`,
      );
    }
  });
});

describe("both: either form in, absolute out", () => {
  beforeEach(() => emulator.control.setModes({ prefixForm: "both" }));

  test("a relative and an absolute prefix are both accepted and both answered absolute", async () => {
    const relative = await emulator.create("relative", "raw", { integrationId: BUCKET });
    const absolute = await emulator.create("absolute", "s3://bucket/curated", { integrationId: BUCKET });
    expect([relative.body.prefix, absolute.body.prefix]).toEqual(["s3://bucket/raw", "s3://bucket/curated"]);
    expect((await handlerOf(relative.body.dataSourceId)).metadata.prefix).toBe("s3://bucket/raw");
    const outside = await emulator.create("outside", "s3://elsewhere/x", { integrationId: BUCKET });
    expect(outside.status).toBe(422);
  });
});

test("several sources in one POST are each read in the prefix form; the first bad one is named", async () => {
  const response = await emulator.call<BoomBody>("POST", "/native-s3/handler", {
    body: createBody(
      [
        { dataSourceName: "ok", prefix: "a" },
        { dataSourceName: "bad", prefix: "/b" },
      ],
      BUCKET,
    ),
  });
  expect(response.status).toBe(400);
  expect(response.body.validation).toEqual({ source: "payload", keys: ["dataSources.1.prefix"] });
  const created = await emulator.call<CreatedBody[]>("POST", "/native-s3/handler", {
    body: createBody(
      [
        { dataSourceName: "one", prefix: "a" },
        { dataSourceName: "two", prefix: "b/c" },
      ],
      BUCKET,
    ),
  });
  expect(created.body.map((source) => source.prefix)).toEqual(["a", "b/c"]);
});

test("a source whose integration was moved elsewhere is echoed absolute by the handler", async () => {
  const created = await emulator.create("moved", "raw", { integrationId: BUCKET });
  await emulator.control.seedIntegration({ id: BUCKET, awsLocationPath: "s3://new-bucket/" });
  const handler = await handlerOf(created.body.dataSourceId);
  expect(handler.metadata.prefix).toBe("s3://bucket/raw");
  expect(handler.awsLocationPath).toBe("s3://new-bucket/");
});

describe("keySegments: how a key's empty segments are read", () => {
  afterEach(() => emulator.control.setModes({ keySegments: "collapse" }));

  test("collapse (default): raw//2024 is stored as raw/2024", async () => {
    const created = await emulator.create("collapsed", "raw//2024", { integrationId: BUCKET });
    expect(created.status).toBe(200);
    expect(await storedPrefixes()).toEqual(["s3://bucket/raw/2024"]);
  });

  test("strict: raw//2024 is a 400 naming the empty segment, as S3 tells a//b from a/b; nothing is stored", async () => {
    await emulator.control.setModes({ keySegments: "strict" });
    const created = await emulator.create("strict", "raw//2024", { integrationId: BUCKET });
    expect(created.status).toBe(400);
    expect((created.body as unknown as BoomBody).message).toMatch(/empty path segment/);
    expect(await storedPrefixes()).toEqual([]);
  });
});
