/**
 * Where the provider connects: stack config read in `configure`, bearer-token authentication, and a second tenant
 * named by a resource's `tenant` input (credentials never become inputs).
 */
import { EmulatorControl, startEmulator, type RunningEmulator } from "../../emulator";
import { createProvider } from "../../provider/resource-provider";
import {
  API_KEY,
  canonicalPrefix,
  createSource,
  declaration,
  Engine,
  expectCredentialFree,
  FAST_RETRY,
  rejectionOf,
  useHarness,
} from "./support";

const harness = useHarness();

describe("stack config", () => {
  it("configure({config}) supplies the URL and key; no environment variable is needed", async () => {
    const provider = createProvider({ env: {}, clientOptions: FAST_RETRY });
    try {
      const config: Record<string, string> = { "immuta:url": harness.emulator.url, "immuta:apiKey": API_KEY };
      await provider.configure({ config: { get: (key: string) => config[key] } });
      const engine = new Engine(provider);
      const inputs = await engine.check(declaration("configured"));
      const { id, outs } = await engine.create(inputs);

      expect(await harness.sources()).toHaveLength(1);
      for (const value of [...Object.values(inputs), ...Object.values(outs)])
        expect(String(value)).not.toContain(API_KEY);
      await engine.delete(id, outs);
      expect(await harness.sources()).toEqual([]);
    } finally {
      provider.close();
    }
  });
  it("a second configure (another __provider string of the same package) does not break operations in flight", async () => {
    const provider = createProvider({ env: {}, clientOptions: FAST_RETRY });
    try {
      const config: Record<string, string> = { "immuta:url": harness.emulator.url, "immuta:apiKey": API_KEY };
      const configure = () => provider.configure({ config: { get: (key: string) => config[key] } });
      await configure();
      const engine = new Engine(provider);
      const inputs = await engine.check(declaration("reconfigured"));
      await harness.control.setFaults([
        { method: "POST", path: "/native-s3/handler", kind: "latency", latencyMs: 300 },
      ]);

      const creating = engine.create(inputs);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The engine's host configures each distinct provider string once; resources written by an older release
      // carry another string that loads this same provider object.
      await configure();
      const { id } = await creating;

      expect(await harness.sources()).toHaveLength(1);
      expect(id).toBe(String((await harness.sources())[0].id));
      expect(await harness.requests()).toEqual([
        "GET /integrations/1",
        "POST /native-s3/handler",
        `GET /dataSource/${id}`,
      ]);
    } finally {
      provider.close();
    }
  });
  it("a changed configuration applies to the operations that start after it", async () => {
    const provider = createProvider({ env: {}, clientOptions: FAST_RETRY });
    try {
      const config: Record<string, string> = {
        "immuta:url": harness.emulator.url,
        "immuta:apiKey": "revoked-key",
      };
      const configure = () => provider.configure({ config: { get: (key: string) => config[key] } });
      await configure();
      const engine = new Engine(provider);
      const inputs = await engine.check(declaration("rotated"));
      expect((await rejectionOf(engine.create(inputs))).message).toMatch(/401/);

      config["immuta:apiKey"] = API_KEY;
      await configure();
      await engine.create(inputs);
      expect(await harness.sources()).toHaveLength(1);
    } finally {
      provider.close();
    }
  });
});

describe("authMode bearer", () => {
  it("exchanges the key for a token, again once it expires, through the whole lifecycle", async () => {
    const provider = createProvider({
      env: { IMMUTA_URL: harness.emulator.url, IMMUTA_API_KEY: API_KEY, IMMUTA_AUTH_MODE: "bearer" },
      clientOptions: FAST_RETRY,
    });
    try {
      const engine = new Engine(provider);
      const inputs = await engine.check(declaration("bearer"));
      const { id, outs } = await engine.create(inputs);
      const refreshed = await engine.read(id, outs);
      expect(refreshed.inputs).toEqual(inputs);
      // An expired token is exchanged again, transparently.
      await harness.control.expireTokens();
      await engine.delete(id, outs);

      expect(await harness.sources()).toEqual([]);
      const log = await harness.requestLog();
      expect(log.filter((entry) => entry.path === "/bim/apikey/authenticate")).toHaveLength(2);
      // The DELETE refused with the expired token (401) is replayed after the new exchange.
      expect(log.filter((entry) => entry.method === "DELETE").map((entry) => entry.status)).toEqual([
        401, 200, 200,
      ]);
    } finally {
      provider.close();
    }
  });
});

describe("two tenants in one program", () => {
  const STAGING_KEY = "staging-apikey-1a2b3c-SECRET-9d8e";
  let staging: RunningEmulator;
  let stagingControl: EmulatorControl;

  beforeAll(async () => {
    staging = await startEmulator({ apiKey: STAGING_KEY, names: "generate" });
    stagingControl = new EmulatorControl(staging.url, staging.adminToken);
  });
  afterAll(() => staging.close());
  beforeEach(() => stagingControl.reset());

  function twoTenantEngine(): { engine: Engine; close: () => void } {
    const provider = createProvider({
      env: {
        IMMUTA_URL: harness.emulator.url,
        IMMUTA_API_KEY: API_KEY,
        IMMUTA_STAGING_URL: staging.url,
        IMMUTA_STAGING_API_KEY: STAGING_KEY,
      },
      clientOptions: FAST_RETRY,
    });
    return { engine: new Engine(provider), close: () => provider.close() };
  }

  it("each resource goes to the tenant it names, with that tenant's key", async () => {
    const { engine, close } = twoTenantEngine();
    try {
      const prod = await engine.create(await engine.check(declaration("prod")));
      const stagingInputs = await engine.check(declaration("stage", { tenant: "staging" }));
      const stage = await engine.create(stagingInputs);

      expect((await harness.sources()).map((source) => source.prefix)).toEqual([canonicalPrefix("prod")]);
      expect((await stagingControl.store()).dataSources.map((source) => source.prefix)).toEqual([
        canonicalPrefix("stage"),
      ]);
      expect(stage.outs).toMatchObject({ tenant: "staging" });
      expect(await engine.read(stage.id, stage.outs)).toMatchObject({ inputs: stagingInputs });

      await engine.delete(stage.id, stage.outs);
      await engine.delete(prod.id, prod.outs);
      expect(await harness.sources()).toEqual([]);
      expect((await stagingControl.store()).dataSources).toEqual([]);
    } finally {
      close();
    }
  });

  it("moving a resource to another tenant is a create-before-delete replacement", async () => {
    const { engine, close } = twoTenantEngine();
    try {
      const { id, outs } = await createSource({ ...harness, engine }, "moving");
      const moved = await engine.check(declaration("moving", { tenant: "staging" }));

      expect(await engine.diff(id, outs, moved)).toEqual({
        changes: true,
        replaces: ["tenant"],
        deleteBeforeReplace: false,
        changed: ["tenant"],
      });
      // The engine creates the replacement first, then deletes the old one with its old outputs.
      await engine.create(moved);
      await engine.delete(id, outs);
      expect(await harness.sources()).toEqual([]);
      expect((await stagingControl.store()).dataSources).toHaveLength(1);
    } finally {
      close();
    }
  });

  it("an unconfigured tenant is an error naming its config key and variables", async () => {
    const { engine, close } = twoTenantEngine();
    try {
      const inputs = await engine.check(declaration("nowhere", { tenant: "production" }));
      const error = await rejectionOf(engine.create(inputs));
      expect(error.message).toContain("production");
      expect(error.message).toContain("IMMUTA_PRODUCTION_URL");
      expect(error.message).toContain("immuta:tenants.production.url");
      expectCredentialFree(error, STAGING_KEY);
      expectCredentialFree(error, API_KEY);
    } finally {
      close();
    }
  });
});
