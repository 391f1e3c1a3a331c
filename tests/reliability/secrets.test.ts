/**
 * Secrets: where the Immuta API key can and cannot be found — state, CLI output with verbose logging, errors, the
 * emulator's request log — with the key as a secret stack config value and as an environment variable; and the
 * transport: TLS verified by default, a CA bundle accepted, plain HTTP refused except for loopback unless allowed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inspect } from "node:util";
import { startTestEmulator, type TestEmulator } from "../e2e/support/emulator";
import { runPulumi } from "../e2e/support/cli-process";
import { createTestStack, type TestStack } from "../e2e/support/stack";
import { ImmutaClient } from "../../provider/client";
import { createProvider } from "../../provider/resource-provider";
import { Engine } from "../provider/support";
import {
  closedPort,
  FIXTURE_CERT_PATH,
  startEchoingImmuta,
  startTlsFront,
  type LoopbackServer,
} from "./loopback-servers";
import { SectionRecorder } from "./report/recorder";
import type { SecretsData } from "./report/render";
import { anyInstanceOf, textMatching } from "../helpers/matchers";

jest.setTimeout(240_000);

/** Distinctive values: finding one of them anywhere it should not be is a leak. */
const SECRET = "immuta-secret-key-3f9c1e77b2d04a6e";
const WRONG_KEY = "immuta-wrong-key-9a4d2c7e51f08b3d";
const READER_KEY = "immuta-reader-key-6e0b8f2a4c9d1357";

const source = (tag: string) => ({
  integrationId: 1,
  prefix: `s3://secrets-${tag}/raw`,
  dataSourceName: `secrets-${tag}`,
});

const report = new SectionRecorder("secrets", 16);
let immuta: TestEmulator;
const emulatorLogLines: string[] = [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-secrets-"));
const stacks: TestStack[] = [];
const servers: LoopbackServer[] = [];

const observed: SecretsData = { where: [], errors: [], transport: [] };
const where = (row: SecretsData["where"][number]) => observed.where.push(row);
const transport = (row: SecretsData["transport"][number]) => observed.transport.push(row);

beforeAll(async () => {
  immuta = await startTestEmulator({
    apiKey: SECRET,
    users: [{ name: "reader", apiKey: READER_KEY, permissions: [] }],
    log: (line) => emulatorLogLines.push(line),
  });
});

afterAll(async () => {
  for (const server of servers) await server.close();
  for (const test of stacks) await test.dispose();
  await immuta?.emulator.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function newStack(
  sources: Record<string, unknown>,
  immutaUrl = immuta.emulator.url,
): Promise<TestStack> {
  const test = await createTestStack({ immutaUrl, apiKey: SECRET, sources });
  stacks.push(test);
  return test;
}

/** Everything one CLI command printed (stdout, stderr, and the error if it failed). */
async function captured(
  run: (sinks: { onOutput: (s: string) => void; onError: (s: string) => void }) => Promise<unknown>,
) {
  let text = "";
  const sinks = { onOutput: (s: string) => (text += s), onError: (s: string) => (text += s) };
  let failure: Error | undefined;
  try {
    const result = (await run(sinks)) as { stdout?: string; stderr?: string } | undefined;
    text += `${result?.stdout ?? ""}${result?.stderr ?? ""}`;
  } catch (error) {
    failure = error as Error;
    text += `${failure.message}\n${failure.stack ?? ""}`;
  }
  return { text, failure };
}

const linesWith = (text: string, secret: string) => text.split("\n").filter((line) => line.includes(secret));

/**
 * The engine's own traces at high verbosity, which print provider inputs (config included) as they are.
 *
 * ASSUMPTION, for every verbose-output check below: the language host prints no config value and no value of its
 * environment at any verbosity (the config reaches the program in PULUMI_CONFIG, never on a command line), so a
 * key found in the output can only be one of these engine traces. Pulumi's official host logs at most the node
 * command line; this project's minimal host is held to it by the Go test TestHostNeverPrintsConfigOrEnvironmentValues
 * (tools/pulumi-cli/language-nodejs/logging_test.go), run with the verbose engine's flags.
 */
const ENGINE_TRACE = /"msg":"(Planner decided to |Marshaling property for RPC|.*inputs=map\[)/;

const VERBOSE_9 = { debug: true, logToStdErr: true, logVerbosity: 9, logFlow: true };
const VERBOSE_5 = { debug: true, logToStdErr: true, logVerbosity: 5, logFlow: true };

describe("the key as a secret stack config value (`pulumi config set --secret immuta:apiKey`)", () => {
  let test: TestStack;
  beforeAll(async () => {
    test = await newStack({ a: source("config-a"), b: source("config-b") });
  });

  it(
    "up, preview, refresh and destroy with --debug -v=5 print no form of it",
    report.gated(async () => {
      for (const [command, run] of [
        ["up", (sinks: object) => test.stack.up({ ...VERBOSE_5, ...sinks })],
        ["preview", (sinks: object) => test.stack.preview({ ...VERBOSE_5, ...sinks })],
        ["refresh", (sinks: object) => test.stack.refresh({ ...VERBOSE_5, ...sinks })],
      ] as const) {
        const { text, failure } = await captured(run);
        expect(failure).toBeUndefined();
        expect(text.length).toBeGreaterThan(10_000); // verbose logging really was on
        expect(linesWith(text, SECRET)).toEqual([]);
        where({
          where: `\`${command}\` output, \`--debug -v=5 --logtostderr\``,
          givenAs: "config",
          found: "absent",
        });
      }
    }),
  );

  it(
    "the checkpoint holds it only as ciphertext, on the engine's default provider; export --show-secrets decrypts it",
    report.gated(async () => {
      const state = test.stateFileText();
      expect(state).not.toContain(SECRET);
      const checkpoint = JSON.parse(state) as { checkpoint: { latest: { resources: unknown[] } } };
      const resources = checkpoint.checkpoint.latest.resources as {
        type: string;
        inputs?: Record<string, unknown>;
        outputs?: Record<string, unknown>;
      }[];
      const holders = resources.filter((resource) => JSON.stringify(resource).includes('"immuta:apiKey"'));
      expect(holders.map((resource) => resource.type)).toEqual(["pulumi:providers:pulumi-nodejs"]);
      for (const value of [holders[0].inputs?.["immuta:apiKey"], holders[0].outputs?.["immuta:apiKey"]]) {
        expect(value).toEqual({
          "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
          ciphertext: textMatching(/^v1:/),
        });
      }
      // No resource of this product carries it in any form.
      const ours = resources.filter((resource) => resource.type.includes("immuta:S3DataSource"));
      expect(ours).toHaveLength(2);
      for (const resource of ours) expect(JSON.stringify(resource)).not.toMatch(/apiKey|ciphertext/);
      where({
        where: "checkpoint (state file)",
        givenAs: "config",
        found: "ciphertext only, in the default `pulumi-nodejs` provider's inputs and outputs",
      });

      const exported = await runPulumi(test, ["stack", "export", "--show-secrets", "--stack", "e2e"]);
      expect(exported.code).toBe(0);
      expect(exported.output).toContain(SECRET);
      where({
        where: "`pulumi stack export --show-secrets`",
        givenAs: "config",
        found: "plain text (decrypted with the stack's secrets provider)",
      });
    }),
  );

  it(
    "at -v=7 and -v=9 the engine's own traces print the stack config, the key included (Pulumi's behaviour)",
    report.gated(async () => {
      for (const verbosity of [7, 9]) {
        const grpcLog = path.join(scratch, `grpc-config-${verbosity}.json`);
        test.stack.workspace.envVars.PULUMI_DEBUG_GRPC = grpcLog;
        const { text, failure } = await captured((sinks) =>
          test.stack.preview({ ...VERBOSE_9, logVerbosity: verbosity, ...sinks }),
        );
        delete test.stack.workspace.envVars.PULUMI_DEBUG_GRPC;
        expect(failure).toBeUndefined();
        const leaking = linesWith(text, SECRET);
        // Every occurrence is an engine trace line, never a message of this provider.
        for (const line of leaking) expect(line).toMatch(ENGINE_TRACE);
        where({
          where: `\`preview\` output, \`--debug -v=${verbosity} --logtostderr\``,
          givenAs: "config",
          found:
            leaking.length === 0
              ? "absent"
              : `plain text in ${leaking.length} engine trace lines (e.g. \`Planner decided to create …pulumi-nodejs::default (inputs=…)\`)`,
        });
        if (verbosity === 9) {
          const grpc = fs.readFileSync(grpcLog, "utf8");
          const grpcLines = linesWith(grpc, SECRET);
          for (const line of grpcLines)
            expect(line).toMatch(
              /"method":"\/pulumirpc\.(LanguageRuntime\/Run|ResourceProvider\/(CheckConfig|Configure|DiffConfig))"/,
            );
          where({
            where: "`PULUMI_DEBUG_GRPC` log",
            givenAs: "config",
            found:
              grpcLines.length === 0
                ? "absent"
                : `plain text in ${grpcLines.length} gRPC messages (the program's config in \`LanguageRuntime/Run\`)`,
          });
        }
      }
    }),
  );

  it(
    "destroy prints no form of it and leaves nothing in Immuta",
    report.gated(async () => {
      const { text, failure } = await captured((sinks) => test.stack.destroy({ ...VERBOSE_5, ...sinks }));
      expect(failure).toBeUndefined();
      expect(linesWith(text, SECRET)).toEqual([]);
      where({ where: "`destroy` output, `--debug -v=5 --logtostderr`", givenAs: "config", found: "absent" });
    }),
  );
});

describe("the key in the environment (`IMMUTA_API_KEY`) instead of stack config", () => {
  let test: TestStack;
  const grpcLog = () => path.join(scratch, "grpc-env.json");

  beforeAll(async () => {
    test = await newStack({ a: source("env-a"), b: source("env-b") });
    await test.stack.removeConfig("immuta:apiKey");
    test.stack.workspace.envVars.IMMUTA_API_KEY = SECRET;
    test.stack.workspace.envVars.PULUMI_DEBUG_GRPC = grpcLog();
  });

  // ASSUMPTION (see ENGINE_TRACE): the language host never prints its environment, which holds IMMUTA_API_KEY.
  it(
    "up, preview, refresh and destroy with --debug -v=9 and PULUMI_DEBUG_GRPC print no form of it",
    report.gated(async () => {
      for (const [command, run] of [
        ["up", (sinks: object) => test.stack.up({ ...VERBOSE_9, ...sinks })],
        ["preview", (sinks: object) => test.stack.preview({ ...VERBOSE_9, ...sinks })],
        ["refresh", (sinks: object) => test.stack.refresh({ ...VERBOSE_9, ...sinks })],
      ] as const) {
        const { text, failure } = await captured(run);
        expect(failure).toBeUndefined();
        expect(text.length).toBeGreaterThan(50_000);
        expect(linesWith(text, SECRET)).toEqual([]);
        where({
          where: `\`${command}\` output, \`--debug -v=9 --logtostderr --logflow\``,
          givenAs: "environment",
          found: "absent",
        });
      }
      expect(
        (await immuta.control.store()).dataSources.filter((s) => s.name.startsWith("secrets-env")),
      ).toHaveLength(2);
    }),
  );

  it(
    "the checkpoint holds no form of it",
    report.gated(async () => {
      const state = test.stateFileText();
      expect(state).not.toContain(SECRET);
      expect(state).not.toContain("immuta:apiKey");
      const exported = await runPulumi(test, ["stack", "export", "--show-secrets", "--stack", "e2e"], {
        IMMUTA_API_KEY: SECRET,
      });
      expect(exported.code).toBe(0);
      expect(exported.output).not.toContain(SECRET);
      where({ where: "checkpoint (state file)", givenAs: "environment", found: "absent" });
      where({ where: "`pulumi stack export --show-secrets`", givenAs: "environment", found: "absent" });
    }),
  );

  it(
    "destroy prints no form of it; neither does the gRPC debug log of all four commands",
    report.gated(async () => {
      const { text, failure } = await captured((sinks) => test.stack.destroy({ ...VERBOSE_9, ...sinks }));
      expect(failure).toBeUndefined();
      expect(linesWith(text, SECRET)).toEqual([]);
      where({
        where: "`destroy` output, `--debug -v=9 --logtostderr --logflow`",
        givenAs: "environment",
        found: "absent",
      });
      const grpc = fs.readFileSync(grpcLog(), "utf8");
      expect(grpc.length).toBeGreaterThan(10_000);
      expect(grpc).not.toContain(SECRET);
      where({ where: "`PULUMI_DEBUG_GRPC` log", givenAs: "environment", found: "absent" });
    }),
  );
});

describe("errors never contain a credential", () => {
  /** Every way an error is shown or logged. */
  const renderings = (error: unknown) =>
    [
      String(error),
      (error as Error).message,
      (error as Error).stack ?? "",
      JSON.stringify(error),
      inspect(error, { depth: 20, showHidden: true }),
    ].join("\n");

  async function provoke(
    situation: string,
    secrets: string[],
    env: Record<string, string>,
    operation: (engine: Engine) => Promise<unknown>,
    expected: RegExp,
    config?: Record<string, string>,
  ) {
    const provider = createProvider({
      env,
      clientOptions: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, requestTimeoutMs: 1_000 },
    });
    try {
      if (config) await provider.configure({ config: { get: (key: string) => config[key] } });
      const engine = new Engine(provider);
      const error = await operation(engine).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(expected);
      const shown = renderings(error);
      for (const secret of secrets) expect(shown).not.toContain(secret);
      observed.errors.push({ situation, message: (error as Error).message });
    } finally {
      provider.close();
    }
  }

  const create = (tag: string) => async (engine: Engine) => engine.create(await engine.check(source(tag)));
  const env = (overrides: Record<string, string> = {}) => ({
    IMMUTA_URL: immuta.emulator.url,
    IMMUTA_API_KEY: SECRET,
    ...overrides,
  });

  afterEach(() => immuta.control.clearFaults());

  it(
    "from Immuta's refusals and failures",
    report.gated(async () => {
      await provoke(
        "wrong API key (401)",
        [WRONG_KEY, SECRET],
        env({ IMMUTA_API_KEY: WRONG_KEY }),
        create("e-401"),
        /HTTP 401.*immuta:apiKey/s,
      );
      await provoke(
        "wrong key, bearer mode (401 on the exchange)",
        [WRONG_KEY],
        env({ IMMUTA_API_KEY: WRONG_KEY, IMMUTA_AUTH_MODE: "bearer" }),
        create("e-401b"),
        /authenticate API key failed.*HTTP 401/s,
      );
      await provoke(
        "key without CREATE_S3_DATASOURCE (403)",
        [READER_KEY],
        env({ IMMUTA_API_KEY: READER_KEY }),
        create("e-403"),
        /HTTP 403.*CREATE_S3_DATASOURCE/s,
      );
      await immuta.control.seedDataSource({ name: "secrets-e-409", prefix: "s3://secrets-e-409/raw" });
      await provoke("name taken (409)", [SECRET], env(), create("e-409"), /HTTP 409.*adopt/s);
      await immuta.control.setFaults([{ method: "POST", kind: "status", status: 500 }]);
      await provoke("500 on every POST", [SECRET], env(), create("e-500"), /HTTP 500/);
      await immuta.control.setFaults([{ kind: "status", status: 502, htmlBody: true }]);
      await provoke(
        "502 with an HTML page, bearer mode",
        [SECRET],
        env({ IMMUTA_AUTH_MODE: "bearer" }),
        create("e-502"),
        /HTTP 502/,
      );
      await immuta.control.setFaults([{ kind: "reset" }]);
      await provoke("connection reset", [SECRET], env(), create("e-reset"), /ECONNRESET/);
      await immuta.control.setFaults([{ kind: "slow", slowMs: 1_500 }]);
      await provoke("no answer within the timeout", [SECRET], env(), create("e-slow"), /within 1000 ms/);
      await immuta.control.setFaults([{ method: "GET", kind: "schema-violation" }]);
      await provoke(
        "schema-violating answer (partial failure after the POST)",
        [SECRET],
        env(),
        create("e-schema"),
        /reading it back failed/,
      );
    }),
  );

  it(
    "from the network and the configuration",
    report.gated(async () => {
      const refused = `http://127.0.0.1:${await closedPort()}`;
      await provoke(
        "nothing listening (connection refused)",
        [SECRET],
        env({ IMMUTA_URL: refused }),
        create("e-refused"),
        /ECONNREFUSED/,
      );
      await provoke(
        "plain http:// to a non-loopback host",
        [SECRET],
        env({ IMMUTA_URL: "http://immuta.example.com" }),
        create("e-http"),
        /Refusing to send the Immuta API key over plain HTTP/,
      );
      await provoke(
        "URL with credentials in it",
        [SECRET],
        env({ IMMUTA_URL: `https://user:${SECRET}@immuta.example.com` }),
        create("e-userinfo"),
        /must not contain credentials/,
      );
      await provoke(
        "missing URL",
        [SECRET],
        { IMMUTA_API_KEY: SECRET },
        create("e-nourl"),
        /The Immuta URL is not configured/,
      );
      await provoke(
        "malformed tenants config (a named tenant's key in it)",
        [SECRET],
        env(),
        async (engine) => engine.create(await engine.check({ ...source("e-tenants"), tenant: "production" })),
        /immuta:tenants must be an object/,
        { "immuta:tenants": `{"production": "${SECRET}"` },
      );
    }),
  );

  it(
    "from a server that echoes the credentials it receives",
    report.gated(async () => {
      const echo = await startEchoingImmuta();
      servers.push(echo);
      const read = (id: number) => (engine: Engine) =>
        engine.read(String(id), { ...source("echo"), dataSourceId: id, handlerId: id, __provider: "ref" });
      await provoke(
        "echoed in a 400 message",
        [SECRET],
        env({ IMMUTA_URL: echo.url }),
        create("e-echo"),
        /HTTP 400/,
      );
      await provoke(
        "echoed in a non-JSON 200 body",
        [SECRET],
        env({ IMMUTA_URL: echo.url }),
        read(1),
        /not JSON/,
      );
      await provoke(
        "echoed in a redirect target",
        [SECRET],
        env({ IMMUTA_URL: echo.url }),
        read(2),
        /redirect/,
      );
      await provoke(
        "bearer token echoed in a 400 message",
        [SECRET, ...echo.tokens, "echo-token-"],
        env({ IMMUTA_URL: echo.url, IMMUTA_AUTH_MODE: "bearer" }),
        create("e-echo-bearer"),
        /HTTP 400/,
      );
      expect(echo.tokens.length).toBeGreaterThan(0);
    }),
  );

  it(
    "through the engine: a failed up prints neither the wrong key nor the real one",
    report.gated(async () => {
      const test = await newStack({ a: source("engine-401") });
      await test.stack.setConfig("immuta:apiKey", { value: WRONG_KEY, secret: true });
      const { text, failure } = await captured((sinks) => test.stack.up({ ...VERBOSE_5, ...sinks }));
      expect(failure?.message).toMatch(/HTTP 401 Unauthorized.*immuta:apiKey/s);
      expect(linesWith(text, WRONG_KEY)).toEqual([]);
      expect(linesWith(text, SECRET)).toEqual([]);
      observed.errors.push({
        situation: "`pulumi up` with a wrong key (engine output, `-v=5`)",
        message: text.split("\n").find((line) => /^\s*error: Creating data source/.test(line)) ?? "",
      });
    }),
  );

  it(
    "the emulator's request log and its log lines never hold a key",
    report.gated(async () => {
      const log = JSON.stringify(await immuta.control.requestLog());
      expect(log.length).toBeGreaterThan(1_000);
      expect(emulatorLogLines.length).toBeGreaterThan(10);
      for (const secret of [SECRET, WRONG_KEY, READER_KEY]) {
        expect(log).not.toContain(secret);
        expect(emulatorLogLines.join("\n")).not.toContain(secret);
      }
      where({
        where: "emulator request log and log lines (all tests of this file)",
        givenAs: "both",
        found: 'absent (`authorization: "[REDACTED]"`)',
      });
    }),
  );
});

describe("transport", () => {
  let front: LoopbackServer;
  beforeAll(async () => {
    front = await startTlsFront(immuta.emulator.url);
    servers.push(front);
  });

  it(
    "TLS is verified: a self-signed certificate is refused with a message naming caBundle, and accepted with it",
    report.gated(async () => {
      const unverified = new ImmutaClient({ url: front.url, apiKey: SECRET, retry: { maxAttempts: 3 } });
      const error = await unverified.searchDataSources({}).then(
        () => undefined,
        (failure: Error) => failure,
      );
      unverified.close();
      expect(error?.message).toMatch(/TLS certificate verification failed.*caBundle \(immuta:caBundle\)/s);
      expect(error).toMatchObject({ attempts: 1 });
      transport({ setting: "client, `https://` with a self-signed certificate", message: error!.message });

      const verified = new ImmutaClient({
        url: front.url,
        apiKey: SECRET,
        caBundle: fs.readFileSync(FIXTURE_CERT_PATH, "utf8"),
      });
      await expect(verified.searchDataSources({})).resolves.toMatchObject({ hits: anyInstanceOf(Array) });
      verified.close();
      transport({ setting: "client, same server, `caBundle` = its certificate", outcome: "succeeds" });
    }),
  );

  it(
    "the provider takes the CA bundle from IMMUTA_CA_BUNDLE or immuta:caBundle (a path or PEM text)",
    report.gated(async () => {
      const attempt = async (tag: string, env: Record<string, string>, config?: Record<string, string>) => {
        const provider = createProvider({ env: { IMMUTA_URL: front.url, IMMUTA_API_KEY: SECRET, ...env } });
        try {
          if (config) await provider.configure({ config: { get: (key: string) => config[key] } });
          const engine = new Engine(provider);
          const { id, outs } = await engine.create(await engine.check(source(tag)));
          await engine.delete(id, outs);
          return "succeeds";
        } catch (error) {
          return (error as Error).message;
        } finally {
          provider.close();
        }
      };
      const none = await attempt("tls-none", {});
      expect(none).toMatch(/TLS certificate verification failed.*immuta:caBundle/s);
      transport({ setting: "provider, no CA bundle", message: none });
      expect(await attempt("tls-env", { IMMUTA_CA_BUNDLE: FIXTURE_CERT_PATH })).toBe("succeeds");
      transport({ setting: "provider, `IMMUTA_CA_BUNDLE=<path of the PEM file>`", outcome: "succeeds" });
      expect(
        await attempt("tls-config", {}, { "immuta:caBundle": fs.readFileSync(FIXTURE_CERT_PATH, "utf8") }),
      ).toBe("succeeds");
      transport({ setting: "provider, `immuta:caBundle` = PEM text", outcome: "succeeds" });
    }),
  );

  it(
    "through the engine: up fails naming immuta:caBundle, then succeeds with it set",
    report.gated(async () => {
      const test = await newStack({ a: source("engine-tls") }, front.url);
      const { failure } = await captured((sinks) => test.stack.up(sinks));
      expect(failure?.message).toMatch(/TLS certificate verification failed.*immuta:caBundle/s);
      await test.stack.setConfig("immuta:caBundle", { value: FIXTURE_CERT_PATH });
      await test.stack.up();
      await test.stack.destroy();
      transport({
        setting: "`pulumi up` against the HTTPS URL, then with `pulumi config set immuta:caBundle <path>`",
        outcome: "fails naming `immuta:caBundle`, then succeeds",
      });
    }),
  );

  it(
    "plain http:// is refused for a host that is not loopback unless allowed, through env, config and the engine",
    report.gated(async () => {
      // 0.0.0.0 reaches this machine, but is not a loopback name: it stands for any remote host without leaving it.
      const remoteLooking = immuta.emulator.url.replace("127.0.0.1", "0.0.0.0");
      const attempt = async (tag: string, env: Record<string, string>, config?: Record<string, string>) => {
        const provider = createProvider({
          env: { IMMUTA_URL: remoteLooking, IMMUTA_API_KEY: SECRET, ...env },
        });
        try {
          if (config) await provider.configure({ config: { get: (key: string) => config[key] } });
          const engine = new Engine(provider);
          const { id, outs } = await engine.create(await engine.check(source(tag)));
          await engine.delete(id, outs);
          return "succeeds";
        } catch (error) {
          return (error as Error).message;
        } finally {
          provider.close();
        }
      };
      await immuta.clear();
      const refused = await attempt("http-none", {});
      expect(refused).toMatch(
        /Refusing to send the Immuta API key over plain HTTP to 0\.0\.0\.0.*immuta:allowInsecureHttp/s,
      );
      expect(await immuta.calls()).toEqual([]);
      transport({
        setting: "provider, `http://0.0.0.0:<port>`",
        message: refused,
        outcome: "Immuta received nothing",
      });
      expect(await attempt("http-env", { IMMUTA_ALLOW_INSECURE_HTTP: "true" })).toBe("succeeds");
      transport({ setting: "provider, same URL, `IMMUTA_ALLOW_INSECURE_HTTP=true`", outcome: "succeeds" });
      expect(await attempt("http-config", {}, { "immuta:allowInsecureHttp": "true" })).toBe("succeeds");
      transport({ setting: "provider, same URL, `immuta:allowInsecureHttp: true`", outcome: "succeeds" });
      transport({
        setting: "provider, `http://127.0.0.1:<port>` (loopback)",
        outcome: "succeeds (every other test)",
      });

      const test = await newStack({ a: source("engine-http") }, remoteLooking);
      const { failure } = await captured((sinks) => test.stack.up(sinks));
      expect(failure?.message).toMatch(/Refusing to send the Immuta API key over plain HTTP/);
      await test.stack.setConfig("immuta:allowInsecureHttp", { value: "true" });
      await test.stack.up();
      await test.stack.destroy();
      transport({
        setting: "`pulumi up` with that URL, then with `pulumi config set immuta:allowInsecureHttp true`",
        outcome: "fails with the refusal, then succeeds",
      });
    }),
  );
});

it("docs/reliability.md's secrets tables show what this run observed (else run `npm run docs`)", () => {
  report.verify(() => observed);
});
