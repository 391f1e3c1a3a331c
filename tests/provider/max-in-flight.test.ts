/**
 * The provider's in-flight limit per tenant: `immuta:maxInFlight` / `IMMUTA_MAX_IN_FLIGHT`, and a default
 * high enough that the engine's parallelism, not the client, bounds concurrency (a refresh sends two GETs per
 * resource at once).
 */
import { silentLog } from "../../provider/runtime/engine-log";
import { PROVIDER_DEFAULT_MAX_IN_FLIGHT, Tenants } from "../../provider/core/tenants";
import { resolveTenantConnection, type ConfigSource } from "../../provider/core/settings";
import { ImmutaConfigurationError } from "../../provider/core/errors";
import { dataSourceBody } from "../client/support";
import { HttpTestServer } from "../helpers/http-test-server";

const config = (values: Record<string, string>): ConfigSource => ({ get: (key) => values[key] });
const base = { "immuta:url": "https://acme.immuta.example", "immuta:apiKey": "k" };

describe("immuta:maxInFlight", () => {
  it("is read from stack config, then IMMUTA_MAX_IN_FLIGHT, and defaults to the provider's limit", () => {
    expect(
      resolveTenantConnection("default", config({ ...base, "immuta:maxInFlight": "16" }), {
        IMMUTA_MAX_IN_FLIGHT: "4",
      }).resolved.maxInFlight,
    ).toBe(16);
    expect(
      resolveTenantConnection("default", config(base), { IMMUTA_MAX_IN_FLIGHT: "4" }).resolved.maxInFlight,
    ).toBe(4);
    expect(resolveTenantConnection("default", config(base), {}).resolved.maxInFlight).toBe(
      PROVIDER_DEFAULT_MAX_IN_FLIGHT,
    );
  });

  it("is per tenant: immuta:tenants.<name>.maxInFlight or IMMUTA_<NAME>_MAX_IN_FLIGHT", () => {
    const tenants = JSON.stringify({
      production: { url: "https://prod.example", apiKey: "k", maxInFlight: 2 },
    });
    expect(
      resolveTenantConnection("production", config({ "immuta:tenants": tenants }), {}).resolved.maxInFlight,
    ).toBe(2);
    expect(
      resolveTenantConnection("staging", config({}), {
        IMMUTA_STAGING_URL: "https://stg.example",
        IMMUTA_STAGING_API_KEY: "k",
        IMMUTA_STAGING_MAX_IN_FLIGHT: "5",
      }).resolved.maxInFlight,
    ).toBe(5);
  });

  it.each(["0", "-3", "1.5", "many"])("refuses %p, naming the key", (value) => {
    const attempt = () =>
      resolveTenantConnection("default", config({ ...base, "immuta:maxInFlight": value }), {});
    expect(attempt).toThrow(ImmutaConfigurationError);
    expect(attempt).toThrow(/immuta:maxInFlight must be a positive integer/);
  });
});

describe("the pooled client's limit", () => {
  let server: HttpTestServer;
  let pool: Tenants | undefined;

  beforeEach(async () => {
    server = await HttpTestServer.start();
  });
  afterEach(async () => {
    pool?.close();
    pool = undefined;
    await server.close();
  });

  /** Holds every GET until `limit` are in flight (or all arrived, or 1 s passed), then 50 ms more. */
  function holdUntil(limit: number, total: number) {
    server.route("GET", /^\/dataSource\/\d+$/, async () => {
      const until = Date.now() + 1_000;
      while (server.inFlight < limit && server.requests.length < total && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { json: dataSourceBody() };
    });
  }

  async function concurrencyWith(values: Record<string, string>, total: number): Promise<number> {
    pool = new Tenants({}, silentLog);
    pool.configure(config({ "immuta:url": server.url, "immuta:apiKey": "k", ...values }));
    const { client } = pool.get("default");
    await Promise.all(Array.from({ length: total }, (_, i) => client.getDataSource(i + 1)));
    return server.maxInFlight;
  }

  it(`defaults to ${PROVIDER_DEFAULT_MAX_IN_FLIGHT}, above the client's own default of 8`, async () => {
    expect(PROVIDER_DEFAULT_MAX_IN_FLIGHT).toBe(64);
    holdUntil(PROVIDER_DEFAULT_MAX_IN_FLIGHT, PROVIDER_DEFAULT_MAX_IN_FLIGHT + 6);
    expect(await concurrencyWith({}, PROVIDER_DEFAULT_MAX_IN_FLIGHT + 6)).toBe(
      PROVIDER_DEFAULT_MAX_IN_FLIGHT,
    );
  });

  it("follows immuta:maxInFlight", async () => {
    holdUntil(3, 12);
    expect(await concurrencyWith({ "immuta:maxInFlight": "3" }, 12)).toBe(3);
  });
});
