import {
  startTestEmulator,
  type BoomBody,
  type DataSourceBody,
  type SearchBody,
  type TagBody,
  type TestEmulator,
  type WrappedTagsBody,
} from "./helpers/emulator";
import { textContaining } from "../helpers/matchers";

// Users get ids in order of configuration: demo 1, then these.
const OWNER_KEY = "owner-key-creates-without-governance";
const VIEWER_KEY = "viewer-key-without-permissions";
const GOVERNOR_KEY = "governor-key-only-governance";
const DEMO_ID = 1;
const OWNER_ID = 2;
const GOVERNOR_ID = 4;

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    users: [
      { name: "owner", apiKey: OWNER_KEY, permissions: ["CREATE_S3_DATASOURCE"] },
      { name: "viewer", apiKey: VIEWER_KEY, permissions: [] },
      { name: "governor", apiKey: GOVERNOR_KEY, permissions: ["GOVERNANCE"] },
    ],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

const curated = (name: string, addedBy = DEMO_ID): TagBody => ({
  name,
  source: "curated",
  addedBy,
  deleted: false,
});

/** A source owned by `owner` (demo by default), private unless said otherwise. */
async function seedSource(
  extra: { owner?: string; public?: boolean; deleted?: boolean } = {},
): Promise<number> {
  const seeded = await emulator.control.seedDataSource({
    name: "research",
    prefix: "s3://research-bucket",
    ...extra,
  });
  return seeded.id;
}

const attach = (id: number, names: unknown, auth?: string) =>
  emulator.call<TagBody[]>("POST", `/tag/datasource/${id}`, {
    auth,
    body:
      Array.isArray(names) && names.every((name) => typeof name === "string")
        ? names.map((name) => ({ name }))
        : names,
  });

const storedTags = async (id: number) =>
  (await emulator.control.store()).dataSources.find((source) => source.id === id)?.tags;

describe("POST /tag/datasource/{dataSourceId}", () => {
  test("attaches leaf tags as curated by the caller and answers the source's tags; reads show them", async () => {
    const id = await seedSource();
    const attached = await attach(id, ["Finance.PII", "Team.Research"]);
    expect(attached.status).toBe(200);
    expect(attached.body).toEqual([curated("Finance.PII"), curated("Team.Research")]);

    const more = await attach(id, ["Sensitivity.Internal"], GOVERNOR_KEY);
    expect(more.body).toEqual([
      curated("Finance.PII"),
      curated("Team.Research"),
      curated("Sensitivity.Internal", GOVERNOR_ID),
    ]);
    expect((await emulator.call<TagBody[]>("GET", `/dataSource/${id}/tags`)).body).toEqual(more.body);
    expect((await emulator.call<DataSourceBody>("GET", `/dataSource/${id}`)).body.tags).toEqual(more.body);
    expect(await storedTags(id)).toEqual([
      { name: "Finance.PII", source: "curated", addedBy: DEMO_ID },
      { name: "Team.Research", source: "curated", addedBy: DEMO_ID },
      { name: "Sensitivity.Internal", source: "curated", addedBy: GOVERNOR_ID },
    ]);
  });

  test("a tag already on the source stays as it is (no duplicate, same source); a repeated name counts once", async () => {
    const id = await seedSource();
    await emulator.control.tagDataSource(id, [{ name: "Discovered.PII", source: "sdd", addedBy: 3 }]);
    const response = await attach(id, ["Discovered.PII", "Finance.PII", "Finance.PII"]);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      { name: "Discovered.PII", source: "sdd", addedBy: 3, deleted: false },
      curated("Finance.PII"),
    ]);
  });

  test("a tag with children in the library is answered 200 and ignored, as Immuta applies only leaves", async () => {
    const id = await seedSource();
    const response = await attach(id, ["Finance", "Team.Marketing"]);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([curated("Team.Marketing")]);
  });

  test("unknownTags reject (default): a 400 naming every unknown tag, and nothing is attached", async () => {
    const id = await seedSource();
    const one = await emulator.call<BoomBody>("POST", `/tag/datasource/${id}`, {
      body: [{ name: "Finance.PII" }, { name: "Finance.Secrett" }],
    });
    expect(one.status).toBe(400);
    expect(one.body).toEqual({
      statusCode: 400,
      error: "Bad Request",
      message: 'Tag "Finance.Secrett" does not exist in the tag library',
      validation: { source: "payload", keys: ["1.name"] },
    });

    const several = await emulator.call<BoomBody>("POST", `/tag/datasource/${id}`, {
      body: [{ name: "Nope" }, { name: "Team.Research" }, { name: "Finance.PII.Deeper" }, { name: "Nope" }],
    });
    expect(several.status).toBe(400);
    expect(several.body.message).toBe('Tags "Nope", "Finance.PII.Deeper" do not exist in the tag library');
    expect(several.body.validation?.keys).toEqual(["0.name", "2.name", "3.name"]);
    expect(await storedTags(id)).toEqual([]);
  });

  test("unknownTags ignore: the known tags are attached and the unknown ones skipped silently", async () => {
    const id = await seedSource();
    await emulator.control.setModes({ unknownTags: "ignore" });
    const response = await attach(id, ["Finance.Secrett", "Finance.PII", "Finance"]);
    expect(response.status).toBe(200);
    expect(response.body).toEqual([curated("Finance.PII")]);
  });

  test("an empty array is a 200 that changes nothing", async () => {
    const id = await seedSource();
    await attach(id, ["Finance.PII"]);
    const before = (await emulator.control.store()).dataSources[0];
    const response = await attach(id, []);
    expect([response.status, response.body]).toEqual([200, [curated("Finance.PII")]]);
    expect((await emulator.control.store()).dataSources[0]).toEqual(before);
  });

  test("members other than name are accepted and ignored: the API always records a curated tag", async () => {
    const id = await seedSource();
    const response = await attach(id, [{ name: "Discovered.Email", source: "sdd", addedBy: 99, id: 7 }]);
    expect(response.body).toEqual([curated("Discovered.Email")]);
  });

  test.each([
    ["an object", { name: "Finance.PII" }, ""],
    ["an array of strings", ["Finance.PII"], "0"],
    ["an empty name", [{ name: "" }], "0.name"],
    ["a numeric name", [{ name: 7 }], "0.name"],
    ["a missing name", [{ source: "curated" }], "0.name"],
    ["no body", undefined, ""],
  ])("%s is a 400 Boom, and nothing is attached", async (_case, body, key) => {
    const id = await seedSource();
    const response = await emulator.call<BoomBody>("POST", `/tag/datasource/${id}`, { body });
    expect(response.status).toBe(400);
    expect(response.body.validation).toEqual({ source: "payload", keys: key ? [key] : [] });
    expect(await storedTags(id)).toEqual([]);
  });
});

describe("who may tag", () => {
  test("the owner without GOVERNANCE may tag and untag its own source", async () => {
    const id = await seedSource({ owner: "owner" });
    expect((await attach(id, ["Finance.PII"], OWNER_KEY)).body).toEqual([curated("Finance.PII", OWNER_ID)]);
    const removed = await emulator.call("DELETE", `/tag/datasource/${id}/Finance.PII`, { auth: OWNER_KEY });
    expect([removed.status, removed.body]).toEqual([200, []]);
  });

  test("a user who sees the source but neither owns it nor has GOVERNANCE gets a 403 naming both", async () => {
    const id = await seedSource({ public: true });
    await attach(id, ["Finance.PII"]);
    const denied = [
      await emulator.call<BoomBody>("POST", `/tag/datasource/${id}`, {
        auth: VIEWER_KEY,
        body: [{ name: "Team.Research" }],
      }),
      await emulator.call<BoomBody>("DELETE", `/tag/datasource/${id}/Finance.PII`, { auth: VIEWER_KEY }),
    ];
    for (const response of denied) {
      expect(response.status).toBe(403);
      expect(response.body.message).toMatch(
        /^User viewer needs the GOVERNANCE permission or must be the data source owner to (un)?tag data source \d+$/,
      );
    }
    expect(await storedTags(id)).toEqual([{ name: "Finance.PII", source: "curated", addedBy: DEMO_ID }]);
  });

  test("GOVERNANCE may tag a source it does not own", async () => {
    const id = await seedSource({ owner: "owner" });
    expect((await attach(id, ["Team.Research"], GOVERNOR_KEY)).status).toBe(200);
    const removed = await emulator.call("DELETE", `/tag/datasource/${id}/Team.Research`, {
      auth: GOVERNOR_KEY,
    });
    expect(removed.status).toBe(200);
  });
});

describe("sources that cannot be seen or do not exist", () => {
  const notFound = (id: number): BoomBody => ({
    statusCode: 404,
    error: "Not Found",
    message: `Data source ${id} not found`,
  });

  test("a private source of another user is a 404 for all three endpoints, as reads are", async () => {
    const id = await seedSource();
    await attach(id, ["Finance.PII"]);
    const responses = [
      await emulator.call("POST", `/tag/datasource/${id}`, {
        auth: VIEWER_KEY,
        body: [{ name: "Team.Research" }],
      }),
      await emulator.call("DELETE", `/tag/datasource/${id}/Finance.PII`, { auth: VIEWER_KEY }),
      await emulator.call("GET", `/dataSource/${id}/tags`, { auth: VIEWER_KEY }),
    ];
    expect(responses.map((response) => [response.status, response.body])).toEqual(
      Array(3).fill([404, notFound(id)]),
    );
    // With every source visible, the same user is refused for lack of permission instead.
    await emulator.control.setModes({ visibility: "open" });
    expect((await attach(id, ["Team.Research"], VIEWER_KEY)).status).toBe(403);
    expect((await emulator.call("GET", `/dataSource/${id}/tags`, { auth: VIEWER_KEY })).status).toBe(200);
  });

  test("a disabled source is seen only by its owner: GOVERNANCE gets a 404 too", async () => {
    const id = await seedSource({ owner: "owner", deleted: true });
    expect((await attach(id, ["Finance.PII"], GOVERNOR_KEY)).status).toBe(404);
    expect((await attach(id, ["Finance.PII"], OWNER_KEY)).status).toBe(200);
    expect((await emulator.call("GET", `/dataSource/${id}/tags`, { auth: OWNER_KEY })).status).toBe(200);
  });

  test("a purged or unknown source is a 404; an id that is not a number is a 400", async () => {
    const id = await seedSource();
    await emulator.control.purgeDataSource(id);
    for (const [method, path] of [
      ["POST", `/tag/datasource/${id}`],
      ["DELETE", `/tag/datasource/${id}/Finance.PII`],
      ["GET", `/dataSource/${id}/tags`],
      ["POST", "/tag/datasource/42"],
    ] as const) {
      const body = method === "POST" ? [{ name: "Finance.PII" }] : undefined;
      const response = await emulator.call<BoomBody>(method, path, { body });
      expect([path, response.status]).toEqual([path, 404]);
    }
    const invalid = await emulator.call<BoomBody>("POST", "/tag/datasource/abc", { body: [] });
    expect([invalid.status, invalid.body.validation]).toEqual([
      400,
      { source: "params", keys: ["dataSourceId"] },
    ]);
  });
});

describe("DELETE /tag/datasource/{dataSourceId}/{tagName}", () => {
  test("removes a tag named raw or URL-encoded, whoever attached it, and answers the remaining tags", async () => {
    const id = await seedSource();
    await attach(id, ["Finance.PII", "Team.Research"]);
    await emulator.control.tagDataSource(id, [{ name: "Discovered.Email", source: "sdd" }]);

    const raw = await emulator.call<TagBody[]>("DELETE", `/tag/datasource/${id}/Finance.PII`);
    expect([raw.status, raw.body]).toEqual([
      200,
      [
        curated("Team.Research"),
        { name: "Discovered.Email", source: "sdd", addedBy: DEMO_ID, deleted: false },
      ],
    ]);
    const encoded = await emulator.call<TagBody[]>("DELETE", `/tag/datasource/${id}/Discovered%2EEmail`);
    expect(encoded.body).toEqual([curated("Team.Research")]);
    expect(await storedTags(id)).toEqual([{ name: "Team.Research", source: "curated", addedBy: DEMO_ID }]);
  });

  test("a tag the source does not carry is a 404 naming it, even when the library has it", async () => {
    const id = await seedSource();
    await attach(id, ["Finance.PII"]);
    for (const name of ["Finance.Public", "Finance", "Not.In.Library"]) {
      const response = await emulator.call<BoomBody>("DELETE", `/tag/datasource/${id}/${name}`);
      expect(response.status).toBe(404);
      expect(response.body.message).toBe(`Tag "${name}" is not on data source ${id}`);
    }
    expect(await storedTags(id)).toHaveLength(1);
  });
});

describe("tag list shapes", () => {
  test("tagList wrapped: the three tag endpoints answer {tags, count}; GET /dataSource/{id} keeps a bare array", async () => {
    const id = await seedSource();
    await emulator.control.setModes({ tagList: "wrapped" });
    const attached = await emulator.call<WrappedTagsBody>("POST", `/tag/datasource/${id}`, {
      body: [{ name: "Finance.PII" }, { name: "Team.Research" }],
    });
    expect(attached.body).toEqual({ tags: [curated("Finance.PII"), curated("Team.Research")], count: 2 });
    const removed = await emulator.call<WrappedTagsBody>("DELETE", `/tag/datasource/${id}/Team.Research`);
    expect(removed.body).toEqual({ tags: [curated("Finance.PII")], count: 1 });
    expect((await emulator.call("GET", `/dataSource/${id}/tags`)).body).toEqual(removed.body);
    expect((await emulator.call<DataSourceBody>("GET", `/dataSource/${id}`)).body.tags).toEqual([
      curated("Finance.PII"),
    ]);

    await emulator.control.setModes({ tagList: "array" });
    expect((await emulator.call("GET", `/dataSource/${id}/tags`)).body).toEqual([curated("Finance.PII")]);
  });

  test("search summaries carry no tags; searchHits full carries them like GET /dataSource/{id}", async () => {
    const id = await seedSource();
    await attach(id, ["Finance.PII"]);
    const summary = await emulator.call<SearchBody>("GET", "/dataSource");
    expect(summary.body.hits[0]).not.toHaveProperty("tags");
    await emulator.control.setModes({ searchHits: "full" });
    const full = await emulator.call<SearchBody<DataSourceBody>>("GET", "/dataSource");
    expect(full.body.hits[0].tags).toEqual([curated("Finance.PII")]);
  });

  test("a source created through the API has no tags; /dataSource/name/tags is the source named tags", async () => {
    const created = await emulator.create("tags", "tags-bucket");
    expect(
      (await emulator.call<DataSourceBody>("GET", `/dataSource/${created.body.dataSourceId}`)).body.tags,
    ).toEqual([]);
    const byName = await emulator.call<DataSourceBody>("GET", "/dataSource/name/tags");
    expect([byName.status, byName.body.id]).toEqual([200, created.body.dataSourceId]);
  });
});

describe("tags behind the client's back (control API)", () => {
  test("seed, attach, untag and replace tags; the store shows them", async () => {
    const seeded = await emulator.control.seedDataSource({
      name: "seeded",
      prefix: "s3://seeded-bucket",
      tags: [{ name: "Finance.PII" }, { name: "Discovered.PII", source: "sdd", addedBy: 3 }],
    });
    expect(seeded.tags).toEqual([
      { name: "Finance.PII", source: "curated", addedBy: DEMO_ID },
      { name: "Discovered.PII", source: "sdd", addedBy: 3 },
    ]);
    const tagged = await emulator.control.tagDataSource(seeded.id, [
      { name: "Discovered.PII", source: "catalog" },
      { name: "Retired.Tag", source: "catalog" },
    ]);
    expect(tagged.tags.map((tag) => [tag.name, tag.source])).toEqual([
      ["Finance.PII", "curated"],
      ["Discovered.PII", "sdd"],
      ["Retired.Tag", "catalog"],
    ]);
    // A tag the library lacks may be placed out of band; the API shows it and can remove it.
    expect((await emulator.call<TagBody[]>("GET", `/dataSource/${seeded.id}/tags`)).body).toHaveLength(3);
    expect((await emulator.control.untagDataSource(seeded.id, "Finance.PII")).tags).toHaveLength(2);
    await expect(emulator.control.untagDataSource(seeded.id, "Finance.PII")).rejects.toMatchObject({
      status: 404,
      serverMessage: `Tag "Finance.PII" is not on data source ${seeded.id}`,
    });
    const replaced = await emulator.control.mutateDataSource(seeded.id, {
      tags: [{ name: "Discovered.Email", source: "sdd" }],
    });
    expect(replaced.tags).toEqual([{ name: "Discovered.Email", source: "sdd", addedBy: DEMO_ID }]);
    expect((await emulator.control.store()).dataSources[0].tags).toEqual(replaced.tags);
  });

  test.each([
    ["a repeated name", [{ name: "Finance.PII" }, { name: "Finance.PII" }], "given twice"],
    ["an unknown source", [{ name: "Finance.PII", source: "ui" }], "tags.0.source"],
    ["an unknown member", [{ name: "Finance.PII", sorce: "sdd" }], "sorce"],
    ["a name with an empty level", [{ name: "Finance..PII" }], "tags.0.name"],
  ])("%s is a 400", async (_case, tags, message) => {
    const id = await seedSource();
    await expect(
      emulator.control.tagDataSource(id, tags as unknown as { name: string }[]),
    ).rejects.toMatchObject({ status: 400, serverMessage: textContaining(message) });
  });
});

test("the request log records the tag endpoints with their user and status", async () => {
  const id = await seedSource();
  await attach(id, ["Finance.PII"], GOVERNOR_KEY);
  await emulator.call("GET", `/dataSource/${id}/tags`);
  await emulator.call("DELETE", `/tag/datasource/${id}/Finance%2EPII`, { auth: VIEWER_KEY });
  expect(
    (await emulator.control.requests()).map(({ method, path, status, user }) => [method, path, status, user]),
  ).toEqual([
    ["POST", `/tag/datasource/${id}`, 200, "governor"],
    ["GET", `/dataSource/${id}/tags`, 200, "demo"],
    ["DELETE", `/tag/datasource/${id}/Finance%2EPII`, 404, "viewer"],
  ]);
});
