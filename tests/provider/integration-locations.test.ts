/**
 * An integration's awsLocationPath decides the wire form of a prefix. It is read from Immuta's integrations API once
 * per provider process and integration; where that API refuses (403) or is missing (404), stack config and then
 * `s3://` stand in, and the engine log says which one was used.
 */
import { IntegrationLocations } from "../../provider/core/integration-locations";
import { clientFor, closeClients, createFakeClock } from "../client/support";
import { HttpTestServer } from "../helpers/http-test-server";

describe("integration locations", () => {
  let server: HttpTestServer;
  const lines: string[] = [];

  beforeEach(async () => {
    server = await HttpTestServer.start();
    lines.length = 0;
  });
  afterEach(async () => {
    closeClients();
    await server.close();
  });

  const locations = (configured: Record<number, string> = {}) =>
    new IntegrationLocations({
      client: clientFor(server, { retry: { maxAttempts: 2, baseDelayMs: 0 }, clock: createFakeClock() }),
      configured: new Map(Object.entries(configured).map(([id, path]) => [Number(id), path])),
      configKey: "immuta:integrations",
      log: { info: (line) => lines.push(`info: ${line}`), warn: (line) => lines.push(`warning: ${line}`) },
      tenantLabel: "",
    });

  it("reads the documented config.awsLocationPath once for concurrent operations, and says so", async () => {
    server.route("GET", "/integrations/7", {
      json: { id: "7", type: "Native S3", status: "enabled", config: { awsLocationPath: "s3://acme/team/" } },
    });
    const integrations = locations();
    const found = await Promise.all([1, 2, 3].map(() => integrations.locationOf(7)));
    expect(found).toEqual(Array(3).fill({ awsLocationPath: "s3://acme/team", source: "integrations API" }));
    expect(await integrations.locationOf(7)).toMatchObject({ awsLocationPath: "s3://acme/team" });
    expect(server.requestsTo("GET", "/integrations/7")).toHaveLength(1);
    expect(lines).toEqual([
      "info: Integration 7: awsLocationPath s3://acme/team (read from Immuta's integrations API).",
    ]);
  });

  it("falls back to stack config on a 403, naming the status and the config key", async () => {
    server.route("GET", "/integrations/7", {
      status: 403,
      json: { statusCode: 403, error: "Forbidden", message: "APPLICATION_ADMIN required" },
    });
    expect(await locations({ 7: "s3://acme/" }).locationOf(7)).toEqual({
      awsLocationPath: "s3://acme",
      source: "stack config",
    });
    expect(lines).toEqual([
      `warning: Integration 7: Immuta's integrations API could not be read (HTTP 403: "APPLICATION_ADMIN required"); ` +
        `using awsLocationPath s3://acme from immuta:integrations.`,
    ]);
  });

  it("assumes s3:// on a 404 without config, and says how to set the location", async () => {
    server.route("GET", "/integrations/9", { status: 404, json: { statusCode: 404, message: "Not Found" } });
    expect(await locations().locationOf(9)).toEqual({ awsLocationPath: "s3://", source: "default" });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("assuming awsLocationPath s3://");
    expect(lines[0]).toContain(`pulumi config set --path 'immuta:integrations["9"].awsLocationPath'`);
  });

  it("fails on any other error, and asks again next time instead of remembering the failure", async () => {
    server.route("GET", "/integrations/7", { status: 500, json: { statusCode: 500, message: "boom" } });
    const integrations = locations({ 7: "s3://acme/" });
    await expect(integrations.locationOf(7)).rejects.toMatchObject({ kind: "server", status: 500 });
    await expect(integrations.locationOf(7)).rejects.toMatchObject({ kind: "server" });
    expect(server.requestsTo("GET", "/integrations/7")).toHaveLength(2);
    expect(lines).toEqual([]);
  });
});
