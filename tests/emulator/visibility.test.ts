import {
  startTestEmulator,
  type BoomBody,
  type DataSourceBody,
  type DeleteBody,
  type HandlerBody,
  type SearchBody,
  type TestEmulator,
} from "./helpers/emulator";

// demo (the default key) has GOVERNANCE; these users have no permission that lets them see everything.
const OWNER_KEY = "owner-key-creates-only";
const SUBSCRIBER_KEY = "subscriber-key-no-permissions";
const OTHER_KEY = "other-key-no-permissions";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    users: [
      { name: "owner", apiKey: OWNER_KEY, permissions: ["CREATE_S3_DATASOURCE"] },
      { name: "subscriber", apiKey: SUBSCRIBER_KEY, permissions: [] },
      { name: "other", apiKey: OTHER_KEY, permissions: [] },
    ],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

const WHO = {
  owner: OWNER_KEY,
  governance: undefined,
  subscriber: SUBSCRIBER_KEY,
  other: OTHER_KEY,
} as const;
type Who = keyof typeof WHO;

/** What each user gets from the three read endpoints for one source: its HTTP statuses and whether search lists it. */
async function readsBy(who: Who, id: number, name: string): Promise<[number, number, boolean]> {
  const auth = WHO[who];
  const byId = await emulator.call("GET", `/dataSource/${id}`, { auth });
  const byName = await emulator.call("GET", `/dataSource/name/${encodeURIComponent(name)}`, { auth });
  const listed = await emulator.call<SearchBody>("GET", "/dataSource", { auth });
  return [byId.status, byName.status, listed.body.hits.some((hit) => hit.id === id)];
}

async function seed(
  name: string,
  extra: { public?: boolean; subscribers?: string[]; deleted?: boolean } = {},
) {
  return emulator.control.seedDataSource({ name, prefix: `s3://${name}`, owner: "owner", ...extra });
}

const SEEN: [number, number, boolean] = [200, 200, true];
const HIDDEN: [number, number, boolean] = [404, 404, false];

describe("documented (default): who sees an enabled source", () => {
  test.each<[string, Parameters<typeof seed>[1], Record<Who, [number, number, boolean]>]>([
    ["a private source", {}, { owner: SEEN, governance: SEEN, subscriber: HIDDEN, other: HIDDEN }],
    [
      "a source with a subscriber",
      { subscribers: ["subscriber"] },
      { owner: SEEN, governance: SEEN, subscriber: SEEN, other: HIDDEN },
    ],
    ["a public source", { public: true }, { owner: SEEN, governance: SEEN, subscriber: SEEN, other: SEEN }],
  ])("%s", async (_case, extra, expected) => {
    const source = await seed("visible-bucket", extra);
    for (const who of Object.keys(WHO) as Who[]) {
      expect([who, ...(await readsBy(who, source.id, source.name))]).toEqual([who, ...expected[who]]);
    }
  });

  test("a hidden source answers exactly like one that does not exist", async () => {
    const source = await seed("secret-bucket");
    const hidden = await emulator.call<BoomBody>("GET", `/dataSource/${source.id}`, { auth: OTHER_KEY });
    const missing = await emulator.call<BoomBody>("GET", "/dataSource/999", { auth: OTHER_KEY });
    expect(hidden.body).toEqual({ ...missing.body, message: `Data source ${source.id} not found` });
    expect(missing.body.message).toBe("Data source 999 not found");
  });

  test("search counts only what the caller may see, and reports its relation in subscriptionStatus", async () => {
    await seed("private-bucket");
    await seed("subscribed-bucket", { subscribers: ["subscriber"] });
    await seed("public-bucket", { public: true });
    const asSubscriber = await emulator.call<SearchBody>("GET", "/dataSource", { auth: SUBSCRIBER_KEY });
    expect(asSubscriber.body.count).toBe(2);
    expect(asSubscriber.body.hits.map((hit) => [hit.name, hit.subscriptionStatus])).toEqual([
      ["subscribed-bucket", "subscribed"],
      ["public-bucket", "not_subscribed"],
    ]);
    const asOwner = await emulator.call<SearchBody>("GET", "/dataSource", { auth: OWNER_KEY });
    expect(asOwner.body.hits.map((hit) => hit.subscriptionStatus)).toEqual(["owner", "owner", "owner"]);
  });
});

describe("documented (default): a disabled source", () => {
  test("is hidden from everyone but its owner, GOVERNANCE, subscribers and public included", async () => {
    const source = await seed("disabled-bucket", {
      public: true,
      subscribers: ["subscriber"],
      deleted: true,
    });
    expect(await readsBy("owner", source.id, source.name)).toEqual(SEEN);
    for (const who of ["governance", "subscriber", "other"] as const) {
      expect([who, ...(await readsBy(who, source.id, source.name))]).toEqual([who, ...HIDDEN]);
    }
    const asOwner = await emulator.call<DataSourceBody>("GET", `/dataSource/${source.id}`, {
      auth: OWNER_KEY,
    });
    expect(asOwner.body.deleted).toBe(true);
  });

  test("the handler answers every authenticated user, so a client can tell hidden from purged", async () => {
    const source = await seed("hidden-bucket", { deleted: true });
    const handler = await emulator.call<HandlerBody>("GET", `/native-s3/handler/${source.handlerId}`, {
      auth: OTHER_KEY,
    });
    expect(handler.status).toBe(200);
    expect(handler.body.metadata.dataSourceName).toBe("hidden-bucket");
    await emulator.control.purgeDataSource(source.id);
    expect(
      (await emulator.call("GET", `/native-s3/handler/${source.handlerId}`, { auth: OTHER_KEY })).status,
    ).toBe(404);
  });

  test("GOVERNANCE may purge a disabled source it cannot read; a non-owner without it still gets a 403", async () => {
    const source = await seed("purge-bucket", { deleted: true });
    expect((await emulator.call("GET", `/dataSource/${source.id}`)).status).toBe(404);
    const denied = await emulator.call<BoomBody>("DELETE", `/dataSource/${source.id}`, { auth: OTHER_KEY });
    expect(denied.status).toBe(403);
    const purged = await emulator.call<DeleteBody>("DELETE", `/dataSource/${source.id}`);
    expect(purged.status).toBe(200);
    expect(purged.body.disabled).toBe(false);
    expect((await emulator.control.store()).dataSources).toEqual([]);
  });

  test("GOVERNANCE may restore a disabled source with PUT, and then sees it again", async () => {
    const source = await seed("restore-bucket", { deleted: true });
    const restored = await emulator.call<DataSourceBody>("PUT", `/dataSource/${source.id}`, {
      body: { deleted: false },
    });
    expect(restored.status).toBe(200);
    expect(restored.body.deleted).toBe(false);
    expect((await emulator.call("GET", `/dataSource/${source.id}`)).status).toBe(200);
  });
});

test("open: everyone sees everything, disabled sources included", async () => {
  await emulator.control.setModes({ visibility: "open" });
  const source = await seed("open-bucket", { deleted: true });
  for (const who of Object.keys(WHO) as Who[]) {
    expect([who, ...(await readsBy(who, source.id, source.name))]).toEqual([who, ...SEEN]);
  }
});

test("the control API seeds and changes public and subscribers", async () => {
  const source = await seed("mutable-bucket");
  expect(source).toMatchObject({ public: false, subscribers: [] });
  expect(await readsBy("other", source.id, source.name)).toEqual(HIDDEN);
  expect(await emulator.control.mutateDataSource(source.id, { public: true })).toMatchObject({
    public: true,
  });
  expect(await readsBy("other", source.id, source.name)).toEqual(SEEN);
  await emulator.control.mutateDataSource(source.id, { public: false, subscribers: ["other"] });
  expect(await readsBy("other", source.id, source.name)).toEqual(SEEN);
  expect(await readsBy("subscriber", source.id, source.name)).toEqual(HIDDEN);
});
