import { EmulatorControl, EmulatorControlError } from "../../emulator";
import { RequestLog } from "../../emulator/request-log";
import {
  ADMIN_TOKEN,
  startTestEmulator,
  type DataSourceBody,
  type HandlerBody,
  type TestEmulator,
} from "./helpers/emulator";
import { anyInstanceOf } from "../helpers/matchers";

const OTHER_KEY = "other-user-secret-key-4711";
const logLines: string[] = [];
let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    users: [{ name: "other", apiKey: OTHER_KEY, permissions: ["CREATE_S3_DATASOURCE"] }],
    log: (line) => logLines.push(line),
  });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.control.reset();
  logLines.length = 0;
});

async function controlError(promise: Promise<unknown>): Promise<EmulatorControlError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(EmulatorControlError);
  return error as EmulatorControlError;
}

describe("authentication of the control API", () => {
  const endpoints: [string, string][] = [
    ["POST", "/__emulator/reset"],
    ["GET", "/__emulator/store"],
    ["GET", "/__emulator/requests"],
    ["DELETE", "/__emulator/requests"],
    ["GET", "/__emulator/modes"],
    ["PATCH", "/__emulator/modes"],
    ["GET", "/__emulator/faults"],
    ["PUT", "/__emulator/faults"],
    ["DELETE", "/__emulator/faults"],
    ["DELETE", "/__emulator/tokens"],
    ["POST", "/__emulator/data-sources"],
    ["PATCH", "/__emulator/data-sources/1"],
    ["DELETE", "/__emulator/data-sources/1"],
    ["POST", "/__emulator/integrations"],
    ["GET", "/__emulator/unknown"],
  ];

  test.each(endpoints)("%s %s needs X-Emulator-Admin-Token", async (method, path) => {
    const attempts: Record<string, string>[] = [
      {},
      { "x-emulator-admin-token": "wrong" },
      { authorization: emulator.apiKey },
    ];
    for (const headers of attempts) {
      const response = await fetch(`${emulator.url}${path}`, { method, headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ statusCode: 401, error: "Unauthorized" });
    }
  });

  test("a client with a wrong token gets a typed error", async () => {
    const error = await controlError(new EmulatorControl(emulator.url, "wrong").store());
    expect(error.status).toBe(401);
    expect(error.message).toContain("GET /__emulator/store");
    expect(error.message).not.toContain(ADMIN_TOKEN);
  });

  test("unknown control routes are 404 with the token", async () => {
    const response = await fetch(`${emulator.url}/__emulator/nothing`, {
      headers: { "x-emulator-admin-token": ADMIN_TOKEN },
    });
    expect(response.status).toBe(404);
  });
});

describe("request log", () => {
  test("records Immuta calls in order, never control calls, and never the Authorization value", async () => {
    const authenticated = await emulator.call<{ token: string }>("POST", "/bim/apikey/authenticate");
    const token = authenticated.body.token;
    await emulator.create("research", "research-bucket");
    await emulator.call("GET", "/dataSource/1", { auth: token });
    await emulator.call("GET", "/dataSource/1?x=1", { auth: `Bearer ${token}` });
    await emulator.call("DELETE", "/dataSource/1", { auth: OTHER_KEY });
    await emulator.call("GET", "/dataSource/1", { auth: "wrong-secret-value" });
    await emulator.call("GET", "/dataSource/1", { auth: null });
    await emulator.control.store();
    await emulator.control.setModes({ names: "honour" });

    const requests = await emulator.control.requests();
    expect(requests.map((request) => [request.method, request.path, request.status, request.user])).toEqual([
      ["POST", "/bim/apikey/authenticate", 200, "demo"],
      ["POST", "/native-s3/handler", 200, "demo"],
      ["GET", "/dataSource/1", 200, "demo"],
      ["GET", "/dataSource/1", 200, "demo"],
      ["DELETE", "/dataSource/1", 403, "other"],
      ["GET", "/dataSource/1", 401, undefined],
      ["GET", "/dataSource/1", 401, undefined],
    ]);
    expect(requests[3].query).toBe("x=1");
    expect(requests.map((request) => request.authorization)).toEqual([
      ...Array<string>(6).fill("[REDACTED]"),
      undefined,
    ]);
    for (const request of requests) expect(request.durationMs).toBeGreaterThanOrEqual(0);

    const everything = JSON.stringify(await emulator.control.requestLog()) + logLines.join("\n");
    for (const secret of [emulator.apiKey, token, OTHER_KEY, "wrong-secret-value"]) {
      expect(everything).not.toContain(secret);
    }
    expect(logLines).toHaveLength(7);
    expect(logLines[1]).toMatch(/^POST \/native-s3\/handler 200 [\d.]+ms user=demo$/);
  });

  test("clearRequests empties it", async () => {
    await emulator.call("GET", "/dataSource");
    await emulator.control.clearRequests();
    expect(await emulator.control.requests()).toEqual([]);
  });

  test("the log is capped: the oldest entries go, and are counted", () => {
    const log = new RequestLog(3);
    for (let index = 0; index < 5; index++) {
      log.add({ method: "GET", path: `/dataSource/${index}`, status: 200, durationMs: 1 });
    }
    const { requests, dropped } = log.snapshot();
    expect(requests.map((request) => request.path)).toEqual([
      "/dataSource/2",
      "/dataSource/3",
      "/dataSource/4",
    ]);
    expect(dropped).toBe(2);
  });
});

describe("store and seeding", () => {
  test("store() lists sources, integrations and the next ids", async () => {
    await emulator.create("research", "research-bucket");
    expect(await emulator.control.store()).toEqual({
      dataSources: [
        {
          id: 1,
          handlerId: 1001,
          name: "research",
          prefix: "s3://research-bucket",
          integrationId: 1,
          deleted: false,
          owner: "demo",
          public: false,
          subscribers: [],
          description: null,
          tags: [],
          schemaEvolutionId: 1,
          handlerDeleteErrorMessage: null,
          createdAt: anyInstanceOf(String),
          updatedAt: anyInstanceOf(String),
        },
      ],
      integrations: [
        { id: 1, awsLocationPath: "s3://", awsAccountId: "123456789012", awsRegion: "us-east-2" },
      ],
      nextIds: { dataSourceId: 2, handlerId: 1002, schemaEvolutionId: 2 },
    });
  });

  test("seedDataSource canonicalises, defaults owner and integration, and enforces uniqueness", async () => {
    const seeded = await emulator.control.seedDataSource({ name: "seeded", prefix: "S3://seed-bucket//a/" });
    expect(seeded).toMatchObject({ id: 1, prefix: "s3://seed-bucket/a", owner: "demo", integrationId: 1 });
    expect((await emulator.call<DataSourceBody>("GET", "/dataSource/1")).body.name).toBe("seeded");

    expect(
      (await controlError(emulator.control.seedDataSource({ name: "seeded", prefix: "s3://x-bucket" })))
        .status,
    ).toBe(409);
    expect(
      (await controlError(emulator.control.seedDataSource({ name: "bad", prefix: "s3://Bad" }))).status,
    ).toBe(400);
    const typo = { name: "typo", prefix: "s3://typo-bucket", ownr: "x" } as unknown as {
      name: string;
      prefix: string;
    };
    expect((await controlError(emulator.control.seedDataSource(typo))).serverMessage).toContain("ownr");
    const disabled = await emulator.control.seedDataSource({
      name: "off",
      prefix: "s3://off-bucket",
      deleted: true,
    });
    expect(disabled.deleted).toBe(true);
  });

  test("seedDataSource takes the time a source was registered; Immuta's answers show it", async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    const seeded = await emulator.control.seedDataSource({
      name: "by-hand",
      prefix: "s3://by-hand-bucket",
      createdAt: hourAgo.toISOString().replace("Z", "+00:00"),
    });
    expect(seeded).toMatchObject({ createdAt: hourAgo.toISOString(), updatedAt: hourAgo.toISOString() });
    const answered = await emulator.call<DataSourceBody>("GET", `/dataSource/${seeded.id}`);
    expect(answered.body).toMatchObject({ createdAt: hourAgo.toISOString() });

    const fresh = await emulator.control.seedDataSource({ name: "now", prefix: "s3://now-bucket" });
    expect(Date.parse(fresh.createdAt)).toBeGreaterThan(hourAgo.getTime());
    const error = await controlError(
      emulator.control.seedDataSource({ name: "x", prefix: "s3://x-bucket", createdAt: "yesterday" }),
    );
    expect(error.status).toBe(400);
    expect(error.serverMessage).toContain("createdAt");
  });

  test("seedIntegration adds an integration with the next id; sources outside its location are refused", async () => {
    const integration = await emulator.control.seedIntegration({
      awsLocationPath: "s3://team-bucket/finance",
    });
    expect(integration).toEqual({
      id: 2,
      awsLocationPath: "s3://team-bucket/finance",
      awsAccountId: "123456789012",
      awsRegion: "us-east-2",
    });
    expect((await emulator.create("q1", "q1", { integrationId: 2 })).status).toBe(200);
    expect((await emulator.control.store()).dataSources[0].prefix).toBe("s3://team-bucket/finance/q1");
    await emulator.control.setModes({ prefixForm: "absolute" });
    expect((await emulator.create("hr", "s3://team-bucket/hr", { integrationId: 2 })).status).toBe(422);
    expect(
      (await controlError(emulator.control.seedIntegration({ awsLocationPath: "https://x" }))).status,
    ).toBe(422);
  });

  test("seedIntegration refuses a location another integration has (409), unless locations are shared", async () => {
    const clash = await controlError(emulator.control.seedIntegration({ id: 2, awsLocationPath: "S3://" }));
    expect(clash.status).toBe(409);
    expect(clash.serverMessage).toBe(
      "Integration 1 already exists with the awsLocationPath s3://; an awsLocationPath must be unique across S3 integrations",
    );
    // Replacing an integration keeps its own location.
    await expect(
      emulator.control.seedIntegration({ id: 1, awsLocationPath: "s3://" }),
    ).resolves.toMatchObject({
      id: 1,
    });
    await emulator.control.seedIntegration({ id: 3, awsLocationPath: "s3://team-bucket/" });
    expect(
      (await controlError(emulator.control.seedIntegration({ awsLocationPath: "s3://team-bucket" }))).status,
    ).toBe(409);
    await emulator.control.setModes({ integrationLocations: "shared" });
    await expect(
      emulator.control.seedIntegration({ id: 2, awsLocationPath: "s3://" }),
    ).resolves.toMatchObject({
      id: 2,
    });
  });
});

describe("drift: changes behind the client's back", () => {
  test("rename, re-point and disable are what the API then returns", async () => {
    await emulator.create("research", "research-bucket/raw");
    await emulator.control.seedIntegration({ id: 2, awsLocationPath: "s3://research-bucket/" });
    const changed = await emulator.control.mutateDataSource(1, {
      name: "renamed",
      prefix: "s3://research-bucket//curated/",
      integrationId: 2,
      deleted: true,
    });
    expect(changed).toMatchObject({ name: "renamed", prefix: "s3://research-bucket/curated", deleted: true });
    expect((await emulator.call<DataSourceBody>("GET", "/dataSource/1")).body).toMatchObject({
      name: "renamed",
      deleted: true,
    });
    expect((await emulator.call<HandlerBody>("GET", "/native-s3/handler/1001")).body).toMatchObject({
      metadata: { prefix: "curated", integrationId: 2, dataSourceName: "renamed" },
      awsLocationPath: "s3://research-bucket/",
    });
  });

  test("mutations keep the rules: 404 unknown id, 409 duplicate, 422 unknown integration", async () => {
    await emulator.create("first", "bucket-a/1");
    await emulator.create("second", "bucket-a/2");
    expect((await controlError(emulator.control.mutateDataSource(9, { name: "x" }))).status).toBe(404);
    expect((await controlError(emulator.control.mutateDataSource(1, { name: "second" }))).status).toBe(409);
    expect((await controlError(emulator.control.mutateDataSource(1, { integrationId: 9 }))).status).toBe(422);
  });

  test("purgeDataSource deletes behind Pulumi's back", async () => {
    await emulator.create("research", "research-bucket");
    await emulator.control.purgeDataSource(1);
    expect((await emulator.call("GET", "/dataSource/1")).status).toBe(404);
    expect((await emulator.call("GET", "/native-s3/handler/1001")).status).toBe(404);
    expect((await controlError(emulator.control.purgeDataSource(1))).status).toBe(404);
  });
});

describe("modes and faults validation", () => {
  test("modes: partial updates, unknown values are a 400", async () => {
    expect(await emulator.control.setModes({ names: "generate" })).toMatchObject({
      names: "generate",
      handlerIds: "separate",
    });
    const bad = { names: "shout" } as unknown as { names: "honour" };
    expect((await controlError(emulator.control.setModes(bad))).status).toBe(400);
  });

  test("faults: listed with what remains; invalid rules are a 400", async () => {
    const listed = await emulator.control.setFaults([{ kind: "status", status: 500, times: 2 }]);
    expect(listed).toEqual([{ kind: "status", status: 500, times: 2, remaining: 2 }]);
    const noStatus = [{ kind: "status" }] as unknown as Parameters<EmulatorControl["setFaults"]>[0];
    expect((await controlError(emulator.control.setFaults(noStatus))).status).toBe(400);
    const badKind = [{ kind: "explode" }] as unknown as Parameters<EmulatorControl["setFaults"]>[0];
    expect((await controlError(emulator.control.setFaults(badKind))).status).toBe(400);
    await emulator.control.clearFaults();
    expect(await emulator.control.faults()).toEqual([]);
  });
});

test("reset empties sources, counters, faults and the log, and restores integrations", async () => {
  const { token } = (await emulator.call<{ token: string }>("POST", "/bim/apikey/authenticate")).body;
  await emulator.create("research", "research-bucket");
  await emulator.control.seedIntegration({ awsLocationPath: "s3://x-bucket" });
  await emulator.control.setFaults([{ kind: "latency", latencyMs: 1 }]);
  await emulator.control.reset();
  expect(await emulator.control.store()).toEqual({
    dataSources: [],
    integrations: [{ id: 1, awsLocationPath: "s3://", awsAccountId: "123456789012", awsRegion: "us-east-2" }],
    nextIds: { dataSourceId: 1, handlerId: 1001, schemaEvolutionId: 1 },
  });
  expect(await emulator.control.faults()).toEqual([]);
  expect(await emulator.control.requests()).toEqual([]);
  // Issued tokens survive a reset, so clients need not re-authenticate between tests.
  expect((await emulator.call("GET", "/dataSource", { auth: `Bearer ${token}` })).status).toBe(200);
});
