import {
  startTestEmulator,
  type BoomBody,
  type DataSourceBody,
  type DeleteBody,
  type HandlerBody,
  type TestEmulator,
} from "./helpers/emulator";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

test("disable, restore, disable, purge, then 404 everywhere; name and prefix are free again", async () => {
  const created = await emulator.create("research", "research-bucket/raw");
  const id = created.body.dataSourceId;

  // First DELETE disables.
  const disabled = await emulator.call<DeleteBody>("DELETE", `/dataSource/${id}`);
  expect(disabled.status).toBe(200);
  expect(disabled.body).toEqual({
    success: true,
    id,
    name: "research",
    disabled: true,
    schemaEvolutionId: 1,
    handlerDeleteErrorMessage: null,
  });
  expect((await emulator.call<DataSourceBody>("GET", `/dataSource/${id}`)).body.deleted).toBe(true);
  expect((await emulator.call<HandlerBody>("GET", "/native-s3/handler/1001")).status).toBe(200);

  // A disabled source still holds its name and its prefix.
  expect((await emulator.create("research", "other-bucket")).status).toBe(409);
  expect((await emulator.create("other", "research-bucket/raw/")).status).toBe(409);

  // PUT {deleted:false} restores.
  const restored = await emulator.call<DataSourceBody>("PUT", `/dataSource/${id}`, {
    body: { deleted: false },
  });
  expect(restored.status).toBe(200);
  expect(restored.body.deleted).toBe(false);
  expect((await emulator.control.store()).dataSources[0].deleted).toBe(false);

  // Disable again, then the second DELETE purges.
  expect((await emulator.call<DeleteBody>("DELETE", `/dataSource/${id}`)).body.disabled).toBe(true);
  const purged = await emulator.call<DeleteBody>("DELETE", `/dataSource/${id}`);
  expect(purged.status).toBe(200);
  expect(purged.body).toEqual({
    success: true,
    id,
    name: "research",
    disabled: false,
    schemaEvolutionId: 1,
    handlerDeleteErrorMessage: null,
  });

  for (const [method, path] of [
    ["GET", `/dataSource/${id}`],
    ["DELETE", `/dataSource/${id}`],
    ["PUT", `/dataSource/${id}`],
    ["GET", "/native-s3/handler/1001"],
    ["GET", "/dataSource/name/research"],
  ]) {
    const response = await emulator.call<BoomBody>(method, path, method === "PUT" ? { body: {} } : {});
    expect([method, path, response.status, response.body.error]).toEqual([method, path, 404, "Not Found"]);
  }
  expect((await emulator.control.store()).dataSources).toEqual([]);

  // Purged: name and prefix can be used again, with fresh ids.
  const again = await emulator.create("research", "research-bucket/raw");
  expect(again.status).toBe(200);
  expect(again.body.dataSourceId).toBe(id + 1);
});

test("a handler clean-up failure is reported by DELETE as handlerDeleteErrorMessage", async () => {
  const { body } = await emulator.create("research", "research-bucket");
  await emulator.control.mutateDataSource(body.dataSourceId, {
    handlerDeleteErrorMessage: "S3 grant not revoked",
  });
  const disabled = await emulator.call<DeleteBody>("DELETE", `/dataSource/${body.dataSourceId}`);
  expect(disabled.body.handlerDeleteErrorMessage).toBe("S3 grant not revoked");
});

test("a disabled source is still found by name and by search, marked deleted", async () => {
  const { body } = await emulator.create("research", "research-bucket");
  await emulator.call("DELETE", `/dataSource/${body.dataSourceId}`);
  const byName = await emulator.call<DataSourceBody>("GET", "/dataSource/name/research");
  expect(byName.body).toMatchObject({ id: body.dataSourceId, deleted: true });
  const search = await emulator.call<{ hits: DataSourceBody[]; count: number }>(
    "GET",
    "/dataSource?searchText=research",
  );
  expect(search.body.count).toBe(1);
  expect(search.body.hits[0].deleted).toBe(true);
});
