import { resolveTenantConnection, type ConfigSource } from "../../provider/core/settings";
import { ImmutaConfigurationError } from "../../provider/core/errors";

const config = (values: Record<string, string>): ConfigSource => ({ get: (key) => values[key] });

describe("connection settings", () => {
  it("reads the default tenant from stack config", () => {
    const connection = resolveTenantConnection(
      "default",
      config({
        "immuta:url": "https://acme.immuta.example",
        "immuta:apiKey": "k-config",
        "immuta:authMode": "bearer",
      }),
      { IMMUTA_URL: "https://env.example", IMMUTA_API_KEY: "k-env" },
    );
    expect(connection.resolved).toMatchObject({
      tenant: { root: "https://acme.immuta.example" },
      apiKey: "k-config",
      authMode: "bearer",
    });
  });

  it("falls back to IMMUTA_URL and IMMUTA_API_KEY", () => {
    const connection = resolveTenantConnection("default", config({}), {
      IMMUTA_URL: "https://env.example",
      IMMUTA_API_KEY: "k-env",
    });
    expect(connection.resolved).toMatchObject({
      tenant: { root: "https://env.example" },
      apiKey: "k-env",
      authMode: "apiKey",
    });
  });

  it("names the config key and the variable when the URL is missing", () => {
    expect(() => resolveTenantConnection("default", config({}), {})).toThrow(ImmutaConfigurationError);
    expect(() => resolveTenantConnection("default", config({}), {})).toThrow(/immuta:url.*IMMUTA_URL/s);
  });

  it("names the secret config key and the variable when the key is missing, without echoing anything", () => {
    const attempt = () =>
      resolveTenantConnection("default", config({ "immuta:url": "https://a.example" }), {});
    expect(attempt).toThrow(/pulumi config set --secret immuta:apiKey <key>.*IMMUTA_API_KEY/s);
  });

  it("reads named tenants from immuta:tenants and IMMUTA_<TENANT>_ variables", () => {
    const tenants = JSON.stringify({ production: { url: "https://prod.example", apiKey: "k-prod" } });
    expect(
      resolveTenantConnection("production", config({ "immuta:tenants": tenants }), {}).settings,
    ).toMatchObject({ url: "https://prod.example", apiKey: "k-prod" });
    expect(
      resolveTenantConnection("staging-eu", config({}), {
        IMMUTA_STAGING_EU_URL: "https://stg.example",
        IMMUTA_STAGING_EU_API_KEY: "k-stg",
      }).settings,
    ).toMatchObject({ url: "https://stg.example", apiKey: "k-stg" });
  });

  it("does not let a named tenant fall back to the default tenant's credentials", () => {
    const attempt = () =>
      resolveTenantConnection("production", config({ "immuta:url": "https://a", "immuta:apiKey": "k" }), {
        IMMUTA_API_KEY: "k",
      });
    expect(attempt).toThrow(/tenant "production".*immuta:tenants\.production\.url.*IMMUTA_PRODUCTION_URL/s);
  });

  it("rejects an unknown auth mode and bad timeouts by their config key", () => {
    const base = { "immuta:url": "https://a", "immuta:apiKey": "k" };
    expect(() =>
      resolveTenantConnection("default", config({ ...base, "immuta:authMode": "oauth" }), {}),
    ).toThrow(/immuta:authMode must be "apiKey".*"bearer"/);
    expect(() =>
      resolveTenantConnection("default", config({ ...base, "immuta:requestTimeoutMs": "soon" }), {}),
    ).toThrow(/immuta:requestTimeoutMs must be a positive number/);
  });
});
