import {
  startTestEmulator,
  type BoomBody,
  type DataSourceBody,
  type SearchBody,
  type TestEmulator,
} from "./helpers/emulator";

const OWNER_KEY = "owner-key-creates-without-governance";
const OTHER_KEY = "other-key-creates-without-governance";
const GOVERNOR_KEY = "governor-key-only-governance";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    users: [
      { name: "owner", apiKey: OWNER_KEY, permissions: ["CREATE_S3_DATASOURCE"] },
      { name: "other", apiKey: OTHER_KEY, permissions: ["CREATE_S3_DATASOURCE"] },
      { name: "governor", apiKey: GOVERNOR_KEY, permissions: ["GOVERNANCE"] },
    ],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

async function createOwned(): Promise<string> {
  const created = await emulator.create("research", "research-bucket", { auth: OWNER_KEY });
  return `/dataSource/${created.body.dataSourceId}`;
}

const put = (path: string, body: unknown, auth = OWNER_KEY) =>
  emulator.call<DataSourceBody & BoomBody>("PUT", path, { auth, body });

test("a source created through the API has no description (null)", async () => {
  const path = await createOwned();
  expect((await emulator.call<DataSourceBody>("GET", path)).body.description).toBeNull();
});

test("PUT {description} sets it, answers the updated source, and reads and search show it", async () => {
  const path = await createOwned();
  const updated = await put(path, { description: "Raw research extracts, refreshed nightly" });
  expect(updated.status).toBe(200);
  expect(updated.body).toMatchObject({
    name: "research",
    description: "Raw research extracts, refreshed nightly",
  });
  expect((await emulator.call<DataSourceBody>("GET", path)).body.description).toBe(
    "Raw research extracts, refreshed nightly",
  );
  expect((await emulator.control.store()).dataSources[0].description).toBe(
    "Raw research extracts, refreshed nightly",
  );
  const found = await emulator.call<SearchBody>("GET", "/dataSource?searchText=NIGHTLY");
  expect(found.body.count).toBe(1);
});

test("PUT {description: null} clears it; a body without description leaves it alone", async () => {
  const path = await createOwned();
  await put(path, { description: "temporary" });
  expect((await put(path, { name: "renamed" })).body.description).toBe("temporary");
  expect((await put(path, { description: null })).body.description).toBeNull();
  expect((await emulator.control.store()).dataSources[0]).toMatchObject({
    name: "renamed",
    description: null,
  });
});

test("description combines with the other changes of one PUT", async () => {
  const path = await createOwned();
  await emulator.call("DELETE", path, { auth: OWNER_KEY }); // disabled
  const restored = await put(path, { deleted: false, name: "restored", description: "back in service" });
  expect(restored.status).toBe(200);
  expect(restored.body).toMatchObject({ deleted: false, name: "restored", description: "back in service" });
});

test("at most 4,096 characters: one more, or a description that is not text, is a 400 naming it", async () => {
  const path = await createOwned();
  const longest = "é".repeat(4096);
  expect((await put(path, { description: longest })).body.description).toBe(longest);
  for (const description of ["x".repeat(4097), 42, { text: "no" }]) {
    const refused = await put(path, { description });
    expect(refused.status).toBe(400);
    expect(refused.body.validation).toEqual({ source: "payload", keys: ["description"] });
  }
  expect((await emulator.control.store()).dataSources[0].description).toBe(longest);
});

test("the owner or GOVERNANCE may describe a source; anyone else gets a 403 naming both", async () => {
  const path = await createOwned();
  const denied = await put(path, { description: "not mine" }, OTHER_KEY);
  expect(denied.status).toBe(403);
  expect(denied.body.message).toMatch(/GOVERNANCE permission or must be the data source owner/);
  expect((await emulator.control.store()).dataSources[0].description).toBeNull();
  expect((await put(path, { description: "governed" }, GOVERNOR_KEY)).body.description).toBe("governed");
});

test("a purged source is a 404", async () => {
  const path = await createOwned();
  await emulator.call("DELETE", path, { auth: OWNER_KEY });
  await emulator.call("DELETE", path, { auth: OWNER_KEY });
  expect((await put(path, { description: "too late" })).status).toBe(404);
});
