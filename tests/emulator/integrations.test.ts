import {
  DEMO_KEY,
  startTestEmulator,
  type BoomBody,
  type IntegrationBody,
  type TestEmulator,
} from "./helpers/emulator";

const VIEWER_KEY = "viewer-key-without-permissions";

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    users: [{ name: "viewer", apiKey: VIEWER_KEY, permissions: [] }],
    integrations: [
      { id: 1, awsLocationPath: "s3://", awsAccountId: "123456789012", awsRegion: "us-east-2" },
      {
        id: 7,
        awsLocationPath: "s3://team-bucket/finance/",
        awsAccountId: "210987654321",
        awsRegion: "eu-west-1",
        name: "finance-s3",
        awsLocationRole: "arn:aws:iam::210987654321:role/finance-location",
      },
    ],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

describe("served (default)", () => {
  test("GET /integrations/{id} answers the documented shape, with a string id", async () => {
    const response = await emulator.call<IntegrationBody>("GET", "/integrations/7");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: "7",
      status: "enabled",
      validationResults: { status: "passed", validationTests: [] },
      type: "Native S3",
      autoBootstrap: false,
      config: {
        name: "finance-s3",
        awsAccountId: "210987654321",
        awsRegion: "eu-west-1",
        awsLocationRole: "arn:aws:iam::210987654321:role/finance-location",
        awsLocationPath: "s3://team-bucket/finance/",
        authenticationType: "auto",
      },
    });
  });

  test("an integration configured without a name or role gets derived ones", async () => {
    const { body } = await emulator.call<IntegrationBody>("GET", "/integrations/1");
    expect(body.config).toMatchObject({
      name: "s3-integration-1",
      awsLocationRole: "arn:aws:iam::123456789012:role/immuta-access-grants-location",
      awsLocationPath: "s3://",
    });
  });

  test("any authenticated user may read it; without credentials it is a 401", async () => {
    expect((await emulator.call("GET", "/integrations/1", { auth: VIEWER_KEY })).status).toBe(200);
    expect((await emulator.call("GET", "/integrations/1", { auth: null })).status).toBe(401);
  });

  test.each(["99", "01", "abc", "1.0"])("the unknown id %j is a 404 Boom envelope", async (id) => {
    const response = await emulator.call<BoomBody>("GET", `/integrations/${id}`);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: "Not Found",
      message: `Integration ${id} not found`,
    });
  });

  test("an integration seeded at run time is served at once", async () => {
    await emulator.control.seedIntegration({ id: 3, awsLocationPath: "s3://new-bucket/", name: "new" });
    const { body } = await emulator.call<IntegrationBody>("GET", "/integrations/3");
    expect(body).toMatchObject({ id: "3", config: { name: "new", awsLocationPath: "s3://new-bucket/" } });
  });
});

test("forbidden: a 403 naming APPLICATION_ADMIN, for every caller", async () => {
  await emulator.control.setModes({ integrationsApi: "forbidden" });
  for (const auth of [DEMO_KEY, VIEWER_KEY]) {
    const response = await emulator.call<BoomBody>("GET", "/integrations/1", { auth });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe("Forbidden");
    expect(response.body.message).toContain("APPLICATION_ADMIN");
  }
  expect((await emulator.call("GET", "/integrations/1", { auth: null })).status).toBe(401);
});

test("absent: a 404 like any unknown route, even before authentication", async () => {
  await emulator.control.setModes({ integrationsApi: "absent" });
  for (const auth of [DEMO_KEY, null]) {
    const response = await emulator.call<BoomBody>("GET", "/integrations/1", { auth });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ statusCode: 404, error: "Not Found", message: "Not Found" });
  }
  const requests = await emulator.control.requests();
  expect(requests.map((request) => [request.path, request.status])).toEqual([
    ["/integrations/1", 404],
    ["/integrations/1", 404],
  ]);
});
