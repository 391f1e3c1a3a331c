import { setTimeout as sleep } from "node:timers/promises";
import { DEMO_KEY, startTestEmulator, type BoomBody, type TestEmulator } from "./helpers/emulator";

const CREATOR_KEY = "creator-key-without-governance";
const VIEWER_KEY = "viewer-key-without-permissions";
const GOVERNOR_KEY = "governor-key-only-governance";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    tokenTtlMs: 500,
    users: [
      { name: "creator", apiKey: CREATOR_KEY, permissions: ["CREATE_S3_DATASOURCE"] },
      { name: "viewer", apiKey: VIEWER_KEY, permissions: [] },
      { name: "governor", apiKey: GOVERNOR_KEY, permissions: ["GOVERNANCE"] },
    ],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

async function tokenFor(apiKey: string): Promise<string> {
  const response = await emulator.call<{ authenticated: boolean; token: string }>(
    "POST",
    "/bim/apikey/authenticate",
    {
      auth: apiKey,
    },
  );
  expect(response.status).toBe(200);
  expect(response.body.authenticated).toBe(true);
  return response.body.token;
}

describe("authentication", () => {
  test("the raw API key, the raw token and 'Bearer <token>' are all accepted", async () => {
    const token = await tokenFor(emulator.apiKey);
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    for (const auth of [emulator.apiKey, token, `Bearer ${token}`, `bearer   ${token}`]) {
      expect((await emulator.call("GET", "/dataSource", { auth })).status).toBe(200);
    }
  });

  test("the key may also come as JSON {apikey} (older docs)", async () => {
    const response = await emulator.call<{ token: string }>("POST", "/bim/apikey/authenticate", {
      auth: null,
      body: { apikey: emulator.apiKey },
    });
    expect(response.status).toBe(200);
    expect(
      (await emulator.call("GET", "/dataSource", { auth: `Bearer ${response.body.token}` })).status,
    ).toBe(200);
  });

  test.each([
    ["no header", null, "Missing authentication"],
    ["an unknown key", "not-a-key", "Invalid credentials"],
    ["'Bearer <apiKey>' (a key is not a token)", `Bearer ${DEMO_KEY}`, "Invalid credentials"],
  ])("%s is a 401 Boom that does not echo the credential", async (_case, auth, message) => {
    const response = await emulator.call<BoomBody>("GET", "/dataSource/1", { auth });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ statusCode: 401, error: "Unauthorized", message });
    if (auth) expect(response.text).not.toContain(auth.replace(/^Bearer /, ""));
  });

  test("authenticate with a wrong key is a 401", async () => {
    const response = await emulator.call<BoomBody>("POST", "/bim/apikey/authenticate", { auth: "wrong" });
    expect(response.status).toBe(401);
    expect(response.body.message).toBe("Invalid API key");
  });

  test("a token expires after tokenTtlMs; the API key keeps working", async () => {
    const token = await tokenFor(emulator.apiKey);
    expect((await emulator.call("GET", "/dataSource", { auth: `Bearer ${token}` })).status).toBe(200);
    await sleep(600);
    const expired = await emulator.call<BoomBody>("GET", "/dataSource", { auth: `Bearer ${token}` });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe("Token expired");
    expect((await emulator.call("GET", "/dataSource")).status).toBe(200);
  });

  test("rawApiKey refused: the key itself is a 401 like any unknown credential; exchanged tokens still work", async () => {
    await emulator.control.setModes({ rawApiKey: "refused" });
    const refused = await emulator.call<BoomBody>("GET", "/dataSource", { auth: emulator.apiKey });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toBe("Invalid credentials");
    expect(refused.text).not.toContain(emulator.apiKey);
    // The exchange itself still takes the key.
    const token = await tokenFor(emulator.apiKey);
    expect((await emulator.call("GET", "/dataSource", { auth: `Bearer ${token}` })).status).toBe(200);
    expect((await emulator.call("GET", "/dataSource", { auth: token })).status).toBe(200);
  });

  test("the control API can expire every token at once", async () => {
    const token = await tokenFor(emulator.apiKey);
    await emulator.control.expireTokens();
    expect((await emulator.call("GET", "/dataSource", { auth: token })).status).toBe(401);
  });
});

describe("permissions and ownership", () => {
  test("creating needs CREATE_S3_DATASOURCE (403 naming it); the creator owns the source", async () => {
    const denied = await emulator.create("viewer-source", "bucket-v", { auth: VIEWER_KEY });
    expect(denied.status).toBe(403);
    expect((denied.body as unknown as BoomBody).message).toContain("CREATE_S3_DATASOURCE");
    expect((await emulator.control.store()).dataSources).toEqual([]);

    const created = await emulator.create("creator-source", "bucket-c", { auth: CREATOR_KEY });
    expect(created.status).toBe(200);
    expect((await emulator.control.store()).dataSources[0].owner).toBe("creator");
  });

  test("the owner may change and delete its source without GOVERNANCE", async () => {
    const { body } = await emulator.create("mine", "bucket-c", { auth: CREATOR_KEY });
    const path = `/dataSource/${body.dataSourceId}`;
    expect(
      (await emulator.call("PUT", path, { auth: CREATOR_KEY, body: { name: "still-mine" } })).status,
    ).toBe(200);
    expect((await emulator.call("DELETE", path, { auth: CREATOR_KEY })).status).toBe(200);
    expect((await emulator.call("DELETE", path, { auth: CREATOR_KEY })).status).toBe(200);
    expect((await emulator.call("GET", path, { auth: CREATOR_KEY })).status).toBe(404);
  });

  test("a non-owner without GOVERNANCE gets a 403 naming both ways in; GOVERNANCE may act on anything", async () => {
    const { body } = await emulator.create("demo-owned", "bucket-d");
    const path = `/dataSource/${body.dataSourceId}`;
    for (const [method, options] of [
      ["DELETE", {}],
      ["PUT", { body: { deleted: true } }],
    ] as const) {
      const denied = await emulator.call<BoomBody>(method, path, { auth: CREATOR_KEY, ...options });
      expect(denied.status).toBe(403);
      expect(denied.body.message).toContain("GOVERNANCE");
      expect(denied.body.message).toContain("owner");
    }
    expect((await emulator.control.store()).dataSources[0]).toMatchObject({
      name: "demo-owned",
      deleted: false,
    });

    expect(
      (await emulator.call("PUT", path, { auth: GOVERNOR_KEY, body: { name: "governed" } })).status,
    ).toBe(200);
    expect((await emulator.call("DELETE", path, { auth: GOVERNOR_KEY })).status).toBe(200);
  });

  test("ownership set out of band is honoured", async () => {
    const seeded = await emulator.control.seedDataSource({
      name: "creators",
      prefix: "s3://bucket-e",
      owner: "creator",
    });
    expect((await emulator.call("DELETE", `/dataSource/${seeded.id}`, { auth: CREATOR_KEY })).status).toBe(
      200,
    );
  });
});
