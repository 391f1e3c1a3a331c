/**
 * `pulumi-immuta doctor` against the emulator, environment only: each check's ok and failed paths, what the user
 * reads, the exit code, and that nothing but reads reached Immuta and the key never appears.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { renderJson, renderText } from "../../doctor/render";
import type { DoctorReport } from "../../doctor/report";
import { startForwardingProxy, type ForwardingProxy } from "../live/support/forwarding-proxy";
import { startTestEmulator, type TestEmulator } from "../emulator/helpers/emulator";
import { textContaining, textMatching } from "../helpers/matchers";
import { checkNamed, doctorJson, runCli, verdicts } from "./support";

const READER_KEY = "reader-key-without-governance-5c1d";
const VIEWER_KEY = "viewer-key-without-create-9e2a";

let immuta: TestEmulator;
let env: NodeJS.ProcessEnv;
let researchId: number;

beforeAll(async () => {
  immuta = await startTestEmulator({
    users: [
      { name: "reader", apiKey: READER_KEY, permissions: ["CREATE_S3_DATASOURCE"] },
      { name: "viewer", apiKey: VIEWER_KEY, permissions: [] },
    ],
  });
});
afterAll(() => immuta.close());

beforeEach(async () => {
  await immuta.control.reset();
  researchId = (await immuta.control.seedDataSource({ name: "research", prefix: "s3://research/raw" })).id;
  await immuta.control.clearRequests();
  env = { IMMUTA_URL: immuta.url, IMMUTA_API_KEY: immuta.apiKey };
});

/** Everything the emulator received since the test began: the doctor only reads. */
async function methodsReceived(): Promise<string[]> {
  return [...new Set((await immuta.control.requests()).map((entry) => entry.method))];
}

describe("a healthy tenant", () => {
  test("every check is ok, the exit code is 0, and only reads reached Immuta", async () => {
    const { code, report, stdout } = await doctorJson([], env);

    expect(code).toBe(0);
    expect(report.verdict).toBe("ok");
    expect(verdicts(report)).toEqual({
      configuration: "ok",
      reach: "ok",
      authentication: "ok",
      permissions: "ok",
      search: "ok",
      [`read data source ${researchId}`]: "ok",
      "integration 1": "ok",
      "prefix form": "ok",
    });
    expect(checkNamed(report, "reach").summary).toContain("plain HTTP to a loopback address");
    expect(checkNamed(report, "reach").latencyMs).toEqual(expect.any(Number) as unknown);
    expect(checkNamed(report, `read data source ${researchId}`).summary).toContain('prefix "research/raw"');
    expect(checkNamed(report, "integration 1").summary).toBe(
      'Native S3, awsLocationPath s3://: with prefixForm relative, a declared s3://my-bucket/raw is sent as "my-bucket/raw"',
    );
    expect(checkNamed(report, "prefix form").summary).toContain("Immuta echoes prefixes relative");
    expect(stdout).not.toContain(immuta.apiKey);
    expect(await methodsReceived()).toEqual(["GET"]);
  });

  test("the text report gives one verdict per check and the result line", async () => {
    const { code, stdout } = await runCli(["doctor", "--env-only", "--integration", "1"], env);
    expect(code).toBe(0);
    expect(stdout).toContain("settings from IMMUTA_* environment variables only (--env-only)");
    expect(stdout).toContain(`Tenant "default" at ${immuta.url}`);
    expect(stdout).toMatch(/^ {2}ok {7}configuration {9}URL from IMMUTA_URL, API key from IMMUTA_API_KEY/m);
    expect(stdout).toContain("Result: ok (0 failed, 0 warnings). Read-only: nothing was changed in Immuta.");
    expect(stdout).not.toContain(immuta.apiKey);
  });
});

describe("configuration", () => {
  test("no URL: failed, naming the config key and the variable; nothing is sent", async () => {
    const { code, report } = await doctorJson([], { IMMUTA_API_KEY: immuta.apiKey });
    expect(code).toBe(1);
    expect(checkNamed(report, "configuration")).toMatchObject({
      verdict: "failed",
      summary: textContaining("immuta:url"),
    });
    expect(checkNamed(report, "configuration").summary).toContain("IMMUTA_URL");
    expect(verdicts(report)["remaining checks"]).toBe("skipped");
    expect(await immuta.control.requests()).toEqual([]);
  });
});

describe("reach", () => {
  test("a refused connection fails with the host, the code and what to check", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const { code, report } = await doctorJson([], { ...env, IMMUTA_URL: `http://127.0.0.1:${port}` });

    expect(code).toBe(1);
    expect(checkNamed(report, "reach")).toEqual({
      check: "reach",
      verdict: "failed",
      summary: `127.0.0.1:${port} refused the connection (ECONNREFUSED)`,
      fix: "Check the host and port in immuta:url / IMMUTA_URL; a VPN or firewall may be needed.",
    });
  });

  test("a URL that is not the tenant root fails: the probe is a 404", async () => {
    const { code, report } = await doctorJson([], { ...env, IMMUTA_URL: `${immuta.url}/ui` });
    expect(code).toBe(1);
    expect(checkNamed(report, "reach")).toMatchObject({
      verdict: "failed",
      summary: textContaining("this URL does not serve Immuta's V1 API"),
      fix: textContaining("Set immuta:url / IMMUTA_URL to the tenant root"),
    });
  });

  describe("over TLS", () => {
    // A self-signed certificate for 127.0.0.1, valid until 2126, used by tests only.
    const fixture = (name: string) => path.join(__dirname, "../client/fixtures", name);
    let front: ForwardingProxy;
    beforeAll(async () => {
      front = await startForwardingProxy({
        target: immuta.url,
        tls: {
          key: fs.readFileSync(fixture("loopback-test-only.key.pem"), "utf8"),
          cert: fs.readFileSync(fixture("loopback-test-only.cert.pem"), "utf8"),
        },
      });
    });
    afterAll(() => front.close());

    test("an unknown certificate authority fails before the key is sent, pointing at caBundle", async () => {
      const { code, report } = await doctorJson([], { ...env, IMMUTA_URL: front.url });
      expect(code).toBe(1);
      expect(checkNamed(report, "reach")).toMatchObject({
        verdict: "failed",
        summary: textMatching(
          /^TLS certificate verification failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)$/,
        ),
        fix: textContaining("set immuta:caBundle / IMMUTA_CA_BUNDLE to that CA's PEM certificates"),
      });
      expect(front.requests()).toEqual([]);
    });

    test("with the CA bundle configured (a file path), TLS verifies and every check passes", async () => {
      const { code, report } = await doctorJson([], {
        ...env,
        IMMUTA_URL: front.url,
        IMMUTA_CA_BUNDLE: fixture("loopback-test-only.cert.pem"),
      });
      expect(code).toBe(0);
      expect(checkNamed(report, "configuration").summary).toContain(
        "extra CA certificates from IMMUTA_CA_BUNDLE",
      );
      expect(checkNamed(report, "reach").summary).toContain(
        "HTTPS, certificate verified against Node's CA roots and the configured caBundle",
      );
      expect(report.verdict).toBe("ok");
    });
  });
});

describe("authentication", () => {
  test("a wrong key fails in both modes, and the fix says how to set a new one", async () => {
    const { code, report, stdout } = await doctorJson([], { ...env, IMMUTA_API_KEY: "wrong-key-0000" });
    expect(code).toBe(1);
    expect(checkNamed(report, "authentication")).toEqual({
      check: "authentication",
      verdict: "failed",
      summary:
        "Immuta refuses the API key sent as-is (authMode apiKey) (GET /dataSource answered HTTP 401 Unauthorized: " +
        "Invalid credentials) and exchanged for a bearer token (authMode bearer) (POST /bim/apikey/authenticate " +
        "answered HTTP 401 Unauthorized: Invalid API key)",
      fix:
        "The key is wrong, revoked or expired: create an API key in Immuta (your profile, API Keys) and set it " +
        "with `pulumi config set --secret immuta:apiKey <key>` or IMMUTA_API_KEY.",
    });
    expect(verdicts(report)["remaining checks"]).toBe("skipped");
    expect(stdout).not.toContain("wrong-key-0000");
  });

  describe("a tenant that accepts only exchanged bearer tokens", () => {
    beforeEach(() => immuta.control.setModes({ rawApiKey: "refused" }));

    test("authMode apiKey fails and the report says bearer works; the other checks still run", async () => {
      const { code, report } = await doctorJson([], env);
      expect(code).toBe(1);
      expect(checkNamed(report, "authentication")).toEqual({
        check: "authentication",
        verdict: "failed",
        summary:
          "Immuta refuses the API key sent as-is (authMode apiKey) (GET /dataSource answered HTTP 401 Unauthorized: " +
          "Invalid credentials), but accepts it exchanged for a bearer token (authMode bearer)",
        fix: "Set immuta:authMode / IMMUTA_AUTH_MODE to bearer: `pulumi config set immuta:authMode bearer`.",
      });
      expect(checkNamed(report, `read data source ${researchId}`).verdict).toBe("ok");
    });

    test("authMode bearer passes", async () => {
      const { code, report } = await doctorJson([], { ...env, IMMUTA_AUTH_MODE: "bearer" });
      expect(code).toBe(0);
      expect(checkNamed(report, "authentication").summary).toBe(
        "Immuta accepts the API key exchanged for a bearer token (authMode bearer)",
      );
      // Reads, and the token exchange: nothing that changes Immuta.
      const writes = (await immuta.control.requests()).filter((entry) => entry.method !== "GET");
      expect(writes.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
        "POST /bim/apikey/authenticate",
      ]);
    });
  });
});

describe("integrations", () => {
  test("an unknown integration fails, naming the id and how to set its location", async () => {
    const { code, report } = await doctorJson(["--integration", "1", "--integration", "99"], env);
    expect(code).toBe(1);
    expect(checkNamed(report, "integration 1").verdict).toBe("ok");
    expect(checkNamed(report, "integration 99")).toMatchObject({
      verdict: "failed",
      summary:
        "Immuta has no integration 99 (GET /integrations/99 answered HTTP 404 Not Found: Integration 99 not found)",
      fix: textContaining(
        `pulumi config set --path 'immuta:integrations["99"].awsLocationPath' s3://bucket/path/`,
      ),
    });
  });

  test("an integrations API the key may not read is a warning: the provider assumes s3://", async () => {
    await immuta.control.setModes({ integrationsApi: "forbidden" });
    const { code, report } = await doctorJson(["--integration", "1"], env);
    expect(code).toBe(0);
    expect(report.verdict).toBe("warning");
    expect(checkNamed(report, "integration 1")).toMatchObject({
      verdict: "warning",
      summary: textContaining("the provider assumes awsLocationPath s3://"),
      fix: textContaining(`'immuta:integrations["1"].awsLocationPath'`),
    });
  });

  test("a nested location shows the relative form a prefix under it is sent in", async () => {
    await immuta.control.seedIntegration({ id: 2, awsLocationPath: "s3://acme/team/" });
    const { report } = await doctorJson(["--integration", "2"], env);
    expect(checkNamed(report, "integration 2").summary).toBe(
      'Native S3, awsLocationPath s3://acme/team/: with prefixForm relative, a declared s3://acme/team/raw is sent as "raw"',
    );
  });
});

describe("search and read", () => {
  test("a key whose user lacks GOVERNANCE cannot read another user's source: failed, naming the permission", async () => {
    const { code, report, stdout } = await doctorJson(["--data-source", String(researchId)], {
      ...env,
      IMMUTA_API_KEY: READER_KEY,
    });
    expect(code).toBe(1);
    expect(checkNamed(report, "search").summary).toBe(
      "the key's user may search data sources: 0 visible to it",
    );
    expect(checkNamed(report, `read data source ${researchId}`)).toMatchObject({
      verdict: "failed",
      summary: textContaining("does not exist, or the key's user may not see it"),
      fix: textContaining("GOVERNANCE permission"),
    });
    expect(stdout).not.toContain(READER_KEY);
  });

  test("when the search shows no source and none is named, reading one is a warning that says what to pass", async () => {
    const { code, report } = await doctorJson([], { ...env, IMMUTA_API_KEY: READER_KEY });
    expect(code).toBe(0);
    expect(checkNamed(report, "read")).toMatchObject({
      verdict: "warning",
      fix: textContaining("--data-source <id>"),
    });
  });
});

describe("permissions", () => {
  test("a key with CREATE_S3_DATASOURCE and GOVERNANCE may do everything the provider does", async () => {
    const { report } = await doctorJson([], env);
    expect(checkNamed(report, "permissions")).toMatchObject({
      verdict: "ok",
      summary: textContaining(
        "may create S3 sources (CREATE_S3_DATASOURCE) and delete, tag or describe any source",
      ),
    });
    expect(await methodsReceived()).toEqual(["GET"]);
  });

  test("without GOVERNANCE: a warning that others' sources cannot be adopted, tagged or destroyed, with the fix", async () => {
    const { code, report } = await doctorJson([], { ...env, IMMUTA_API_KEY: READER_KEY });
    expect(code).toBe(0);
    expect(checkNamed(report, "permissions")).toMatchObject({
      verdict: "warning",
      summary: textContaining("delete, tag or describe only those it owns (no GOVERNANCE)"),
      fix: textContaining("grant GOVERNANCE"),
    });
  });

  test("without CREATE_S3_DATASOURCE doctor fails (exit 1) before the first up, naming the permission", async () => {
    const { code, report, stdout } = await doctorJson([], { ...env, IMMUTA_API_KEY: VIEWER_KEY });
    expect(code).toBe(1);
    expect(checkNamed(report, "permissions")).toMatchObject({
      verdict: "failed",
      summary: textContaining("may not register S3 data sources (CREATE_S3_DATASOURCE)"),
      fix: textContaining("Grant CREATE_S3_DATASOURCE"),
    });
    expect(stdout).not.toContain(VIEWER_KEY);
  });

  test("where Immuta does not serve the current user, it says so and the other checks run as before", async () => {
    await immuta.control.setModes({ currentUser: "absent" });
    const { code, report } = await doctorJson([], env);
    expect(code).toBe(0);
    expect(checkNamed(report, "permissions")).toMatchObject({
      verdict: "skipped",
      summary: textContaining("Immuta does not tell the key's user its permissions here"),
    });
    expect(checkNamed(report, "search").verdict).toBe("ok");
  });
});

describe("prefix form", () => {
  test("a tenant that echoes absolute prefixes while relative ones are configured is a warning to switch", async () => {
    await immuta.control.setModes({ prefixForm: "absolute" });
    const { code, report } = await doctorJson([], env);
    expect(code).toBe(0);
    expect(checkNamed(report, "prefix form")).toEqual({
      check: "prefix form",
      verdict: "warning",
      summary: textContaining('echoes "s3://research/raw"'),
      fix: textContaining("`pulumi config set immuta:prefixForm absolute`"),
    });

    const switched = await doctorJson([], { ...env, IMMUTA_PREFIX_FORM: "absolute" });
    expect(checkNamed(switched.report, "prefix form").verdict).toBe("ok");
  });
});

describe("arguments", () => {
  test("help, and usage errors with exit code 2", async () => {
    expect((await runCli(["--help"])).stdout).toContain("Usage: pulumi-immuta doctor [options]");
    const bad = await runCli(["doctor", "--integration", "abc"]);
    expect(bad).toMatchObject({
      code: 2,
      stderr: textContaining('--integration must be a whole number >= 1, got "abc"'),
    });
    expect((await runCli(["doctor", "--env-only", "--stack", "dev"])).code).toBe(2);
    expect((await runCli(["repair"])).stderr).toContain('unknown command "repair"');
  });

  test("a named tenant is checked with its own variables", async () => {
    const { code, report } = await doctorJson(["--tenant", "prod"], {
      IMMUTA_PROD_URL: immuta.url,
      IMMUTA_PROD_API_KEY: immuta.apiKey,
    });
    expect(code).toBe(0);
    expect(report.tenants.map((tenant) => tenant.tenant)).toEqual(["prod"]);
    expect(checkNamed(report, "configuration").summary).toContain("URL from IMMUTA_PROD_URL");
  });
});

describe("the installed command", () => {
  test("`pulumi-immuta doctor` runs as the package's bin, and its report does not hold the key", async () => {
    const { execFile } = await import("node:child_process");
    const manifest = path.join(__dirname, "../../package.json");
    const binPath = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { bin: Record<string, string> }).bin[
      "pulumi-immuta"
    ];
    const output = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(__dirname, "../..", binPath), "doctor", "--env-only"],
        { env: { PATH: process.env.PATH, ...env } },
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
      );
    });
    expect(output.code).toBe(0);
    expect(output.stdout).toContain("Result: ok (0 failed, 0 warnings).");
    expect(output.stdout).not.toContain(immuta.apiKey);
  });

  test("the rendered report is scrubbed of every key the run used, should a message ever hold one", () => {
    const report: DoctorReport = {
      source: {},
      checks: [],
      tenants: [
        { tenant: "default", checks: [{ check: "x", verdict: "ok", summary: `echoed ${immuta.apiKey}` }] },
      ],
      verdict: "ok",
    };
    expect(renderText(report, [immuta.apiKey])).toContain("echoed [REDACTED]");
    expect(renderJson(report, [immuta.apiKey])).not.toContain(immuta.apiKey);
  });
});
