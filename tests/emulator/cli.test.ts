import { createServer, type Server } from "node:net";
import { EmulatorControl } from "../../emulator";
import { compileEmulatorCli, spawnCli, waitForReady, type CliProcess } from "./helpers/compiled-cli";

let compiled: ReturnType<typeof compileEmulatorCli>;
const running: CliProcess[] = [];

beforeAll(() => {
  compiled = compileEmulatorCli();
});
afterEach(() => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
});
afterAll(() => compiled.cleanup());

function start(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const cli = spawnCli(compiled.cliPath, args, env);
  running.push(cli);
  return cli;
}

const READY_LINE = /^Immuta emulator listening on http:\/\/127\.0\.0\.1:\d+$/;

test("without --api-key: prints the generated key and admin token, then exactly one readiness line", async () => {
  const cli = start(["--port", "0"]);
  const url = await waitForReady(cli);
  const lines = cli.stdout().trim().split("\n");
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^Demo API key: [0-9a-f]{32}$/);
  expect(lines[1]).toMatch(/^Admin token: [0-9a-f]{32}$/);
  expect(lines[2]).toMatch(READY_LINE);
  const apiKey = lines[0].split(": ")[1];
  expect((await fetch(`${url}/dataSource`, { headers: { authorization: apiKey } })).status).toBe(200);

  cli.child.kill("SIGTERM");
  expect(await cli.exited).toEqual({ code: 0, signal: null });
});

test("flags set keys and modes; only the readiness line is printed; SIGINT exits 0", async () => {
  const cli = start([
    "--port",
    "0",
    "--api-key",
    "flag-key",
    "--admin-token",
    "flag-admin",
    "--names",
    "generate",
    "--handler-ids",
    "same",
    "--prefix-form",
    "absolute",
    "--search-hits",
    "full",
    "--search-offset",
    "pages",
    "--visibility",
    "open",
    "--delete-response",
    "with-hard-delete",
    "--data-source-status",
    "Ready",
    "--integrations-api",
    "forbidden",
    "--handler-integration-id",
    "string",
    "--handler-location",
    "absent",
    "--integration-locations",
    "shared",
    "--multi-source-response",
    "first",
    "--blob-handler",
    "absent",
    "--unknown-tags",
    "ignore",
    "--tag-list",
    "wrapped",
    "--current-user",
    "absent",
    "--rate-limit",
    "2.5",
    "--rate-limit-burst",
    "4",
  ]);
  const url = await waitForReady(cli);
  expect(cli.stdout().trim()).toMatch(READY_LINE);
  expect(await new EmulatorControl(url, "flag-admin").modes()).toEqual({
    names: "generate",
    handlerIds: "same",
    prefixForm: "absolute",
    searchHits: "full",
    searchOffset: "pages",
    visibility: "open",
    deleteResponse: "with-hard-delete",
    dataSourceStatus: "Ready",
    integrationsApi: "forbidden",
    handlerIntegrationId: "string",
    handlerLocation: "absent",
    integrationLocations: "shared",
    rawApiKey: "accepted",
    keySegments: "collapse",
    multiSourceResponse: "first",
    blobHandler: "absent",
    unknownTags: "ignore",
    tagList: "wrapped",
    currentUser: "absent",
    rateLimit: { requestsPerSecond: 2.5, burst: 4 },
  });
  expect((await fetch(`${url}/dataSource`, { headers: { authorization: "flag-key" } })).status).toBe(200);

  cli.child.kill("SIGINT");
  expect(await cli.exited).toEqual({ code: 0, signal: null });
});

test("keys may come from the environment instead of the command line", async () => {
  const cli = start(["--port", "0", "--seed", "9"], {
    IMMUTA_EMULATOR_API_KEY: "env-key",
    IMMUTA_EMULATOR_ADMIN_TOKEN: "env-admin",
  });
  const url = await waitForReady(cli);
  expect(cli.stdout()).not.toContain("env-key");
  expect(await new EmulatorControl(url, "env-admin").store()).toMatchObject({ dataSources: [] });
  expect((await fetch(`${url}/dataSource`, { headers: { authorization: "env-key" } })).status).toBe(200);
});

test.each([
  [["--bogus"], "Unknown option"],
  [["--names", "shout"], "--names must be honour or generate"],
  [["--handler-ids", "mixed"], "--handler-ids must be separate or same"],
  [["--prefix-form", "Relative"], "--prefix-form must be relative, absolute or both"],
  [["--integrations-api", "off"], "--integrations-api must be served, forbidden or absent"],
  [["--unknown-tags", "drop"], "--unknown-tags must be reject or ignore"],
  [["--rate-limit", "0"], "--rate-limit must be a number of requests per second above 0"],
  [["--rate-limit", "fast"], "--rate-limit must be a number"],
  [["--rate-limit", "5", "--rate-limit-burst", "0"], "--rate-limit-burst must be an integer from 1"],
  [["--rate-limit-burst", "3"], "--rate-limit-burst needs --rate-limit"],
  [["--port", "http"], "--port must be 0..65535"],
  [["--port", "70000"], "--port must be 0..65535"],
  [["--seed", "x"], "--seed must be an integer"],
  [["positional"], "positional"],
])("bad arguments %j: usage on stderr, exit 2", async (args, message) => {
  const cli = start(args);
  expect(await cli.exited).toEqual({ code: 2, signal: null });
  expect(cli.stderr()).toContain(message);
  expect(cli.stderr()).toContain("Usage: immuta-emulator");
  expect(cli.stdout()).toBe("");
});

test("--help prints usage, every mode with its values and default, and exits 0", async () => {
  const cli = start(["--help"]);
  expect(await cli.exited).toEqual({ code: 0, signal: null });
  expect(cli.stdout()).toContain("--data-file <path>");
  expect(cli.stdout()).toMatch(/--prefix-form relative\|absolute\|both +.*\(default relative\)/);
  expect(cli.stdout()).toMatch(/--visibility documented\|open +.*\(default documented\)/);
  expect(cli.stdout()).toMatch(/--unknown-tags reject\|ignore +.*\(default reject\)/);
  expect(cli.stdout()).toMatch(/--tag-list array\|wrapped +.*\(default array\)/);
  expect(cli.stdout()).toMatch(/--current-user served\|absent +.*\(default served\)/);
});

test("many requests held by latency faults at once print no MaxListenersExceededWarning", async () => {
  const cli = start(["--port", "0", "--api-key", "k", "--admin-token", "a"]);
  const url = await waitForReady(cli);
  await new EmulatorControl(url, "a").setFaults([{ kind: "latency", latencyMs: 300 }]);
  const requests = Array.from({ length: 40 }, () =>
    fetch(`${url}/dataSource`, { headers: { authorization: "k" } }).then((response) => response.status),
  );
  expect(new Set(await Promise.all(requests))).toEqual(new Set([200]));
  cli.child.kill("SIGTERM");
  expect(await cli.exited).toEqual({ code: 0, signal: null });
  expect(cli.stderr()).not.toContain("MaxListenersExceededWarning");
});

test("a port in use is an error on stderr and exit 1", async () => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const port = (blocker.address() as { port: number }).port;
  try {
    const cli = start(["--port", String(port)]);
    expect(await cli.exited).toEqual({ code: 1, signal: null });
    expect(cli.stderr()).toContain("EADDRINUSE");
  } finally {
    blocker.close();
  }
});
