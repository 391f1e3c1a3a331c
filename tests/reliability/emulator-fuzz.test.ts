/**
 * The emulator under a seeded stream of malformed HTTP over raw sockets: broken request lines, bad and huge
 * headers, truncated bodies, invalid JSON, wrong types, odd paths, pipelining and slow partial sends. It runs as
 * its own process (the CLI, from the current sources) with a data file; between bursts valid clients change the
 * data, and the file is read back continuously. The emulator must never crash, never answer 5xx, never log an
 * internal error, and its file must always parse and match what it serves — also after a restart.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { EmulatorControl, type StoreSnapshot } from "../../emulator";
import {
  compileEmulatorCli,
  spawnCli,
  waitForReady,
  type CliProcess,
} from "../emulator/helpers/compiled-cli";
import { SectionRecorder } from "./report/recorder";
import type { EmulatorFuzzData } from "./report/render";

jest.setTimeout(180_000);

const API_KEY = "fuzz-api-key-1c7e5a93";
const ADMIN = "fuzz-admin-token-8b2d4f60";
const SEED = 20_260_101;
const BURSTS = 6;
const REQUESTS_PER_BURST = 120;
const CONCURRENCY = 24;
/** No exchange may take longer than this; a slow-loris send stops well before. */
const EXCHANGE_LIMIT_MS = 3_000;

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const int = (random: Random, below: number) => Math.floor(random() * below);
const bytes = (random: Random, length: number) => Buffer.from(Array.from({ length }, () => int(random, 256)));

/** One malformed exchange: the bytes to send (in pieces, with pauses), and how to end our side. */
interface Exchange {
  category: string;
  pieces: Buffer[];
  pauseMs: number;
  /** `end`: half-close after sending; `destroy`: drop the connection; `wait`: wait for the answer. */
  finish: "end" | "destroy" | "wait";
}

const CRLF = "\r\n";
const request = (head: string, headers: string[], body = "") =>
  Buffer.from(`${head}${CRLF}${headers.join(CRLF)}${headers.length ? CRLF : ""}${CRLF}${body}`, "latin1");
const auth = (random: Random) =>
  pick(random, [`authorization: ${API_KEY}`, "authorization: wrong", "authorization: Bearer ", ""]).trim();
const PATHS = [
  "/native-s3/handler",
  "/dataSource",
  "/dataSource/1",
  "/dataSource/name/x",
  "/native-s3/handler/1001",
  "/bim/apikey/authenticate",
];

const JSON_GARBAGE = (random: Random): string =>
  pick(random, [
    '{"type": "Native S3", ',
    "{",
    "[".repeat(50_000),
    '{"a":' + "1".repeat(400) + "}",
    '"\\ud800"',
    "null",
    "[]",
    "true",
    '{"__proto__": {"polluted": true}}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    '{"type":"Native S3","integrationId":1,"dataSources":[null]}',
    '{"type":"Native S3","integrationId":"1","dataSources":[{"dataSourceName":"x","prefix":"s3://fuzz-b"}]}',
    '{"type":"Native S3","integrationId":1e308,"dataSources":[{"dataSourceName":"x","prefix":"s3://fuzz-b"}]}',
    '{"type":"Native S3","integrationId":1,"dataSources":[{"dataSourceName":{"n":1},"prefix":["s3://a"]}]}',
    '{"type":"Native S3","integrationId":1,"dataSources":"all"}',
    '{"name": 12, "deleted": "yes"}',
    '{"apikey": ["k"]}',
    bytes(random, 64).toString("latin1"),
  ]);

/** The generators, one per category of malformed input. */
const GENERATORS: Record<string, (random: Random) => Exchange> = {
  "broken request line": (random) => ({
    category: "broken request line",
    pieces: [
      pick(random, [
        Buffer.from(`GET${CRLF}${CRLF}`),
        Buffer.from(`GARBAGE${CRLF}${CRLF}`),
        Buffer.from(`GET /dataSource HTTP/9.9${CRLF}host: x${CRLF}${CRLF}`),
        Buffer.from(`G\u00e9T /dataSource HTTP/1.1${CRLF}${CRLF}`, "utf8"),
        Buffer.from(`GET /dataSource${CRLF}${CRLF}`),
        Buffer.from(`GET /dataSource HTTP/1.1 extra${CRLF}${CRLF}`),
        Buffer.from(`${CRLF}${CRLF}${CRLF}GET /dataSource HTTP/1.1${CRLF}${CRLF}`),
        Buffer.from(`CONNECT 127.0.0.1:1 HTTP/1.1${CRLF}${CRLF}`),
        Buffer.from(`GET * HTTP/1.1${CRLF}${CRLF}`),
        Buffer.concat([bytes(random, 40), Buffer.from(CRLF + CRLF)]),
      ]),
    ],
    pauseMs: 0,
    finish: pick(random, ["end", "wait"] as const),
  }),
  "bad headers": (random) => ({
    category: "bad headers",
    pieces: [
      request(`POST ${pick(random, PATHS)} HTTP/1.1`, [
        "host: x",
        pick(random, [
          "no colon here",
          "bad name: x",
          "content-length: abc",
          "content-length: 5\r\ncontent-length: 9",
          "transfer-encoding: chunked\r\ncontent-length: 4",
          "x-folded: a\r\n  continued",
          "x-nul: a\u0000b",
          `authorization: ${"k".repeat(10_000)}`,
          "content-type: application/json; charset=\u00ff",
          "content-length: -1",
        ]),
      ]),
    ],
    pauseMs: 0,
    finish: "wait",
  }),
  "bad chunked body": (random) => ({
    category: "bad chunked body",
    pieces: [
      request(
        "POST /native-s3/handler HTTP/1.1",
        [
          "host: x",
          `authorization: ${API_KEY}`,
          "content-type: application/json",
          "transfer-encoding: chunked",
        ],
        pick(random, ["zz\r\n{}\r\n0\r\n\r\n", "5\r\n{}\r\n0\r\n\r\n", "ffffffffffff\r\n{", "2\r\n{}"]),
      ),
    ],
    pauseMs: 0,
    finish: pick(random, ["end", "wait"] as const),
  }),
  "huge headers": (random) => ({
    category: "huge headers",
    pieces: [
      request(
        "GET /dataSource HTTP/1.1",
        random() < 0.5
          ? ["host: x", `x-big: ${"h".repeat(70_000)}`]
          : ["host: x", ...Array.from({ length: 400 }, (_, index) => `x-h${index}: ${"v".repeat(100)}`)],
      ),
    ],
    pauseMs: 0,
    finish: "wait",
  }),
  "huge path": (random) => ({
    category: "huge path",
    pieces: [
      request(`GET /dataSource/name/${"n".repeat(20_000 + int(random, 80_000))} HTTP/1.1`, ["host: x"]),
    ],
    pauseMs: 0,
    finish: "wait",
  }),
  "truncated body": (random) => {
    const body =
      '{"type":"Native S3","integrationId":1,"dataSources":[{"dataSourceName":"cut","prefix":"s3://cut-b"}]}';
    const declared = body.length + 1 + int(random, 500);
    return {
      category: "truncated body",
      pieces: [
        request(
          `${pick(random, ["POST /native-s3/handler", "PUT /dataSource/1", "POST /bim/apikey/authenticate"])} HTTP/1.1`,
          [
            "host: x",
            `authorization: ${API_KEY}`,
            "content-type: application/json",
            `content-length: ${declared}`,
          ],
          body.slice(0, int(random, body.length)),
        ),
      ],
      pauseMs: 0,
      finish: pick(random, ["end", "destroy"] as const),
    };
  },
  "invalid JSON": (random) => {
    const body = JSON_GARBAGE(random);
    return {
      category: "invalid JSON",
      pieces: [
        request(
          `${pick(random, ["POST /native-s3/handler", "PUT /dataSource/1", "POST /bim/apikey/authenticate"])} HTTP/1.1`,
          [
            "host: x",
            auth(random),
            pick(random, [
              "content-type: application/json",
              "content-type: text/plain",
              "content-type: application/x+json",
              "",
            ]),
            `content-length: ${Buffer.byteLength(body, "latin1")}`,
          ].filter(Boolean),
          body,
        ),
      ],
      pauseMs: 0,
      finish: "wait",
    };
  },
  "odd paths and queries": (random) => ({
    category: "odd paths and queries",
    pieces: [
      request(
        `${pick(random, ["GET", "PUT", "DELETE", "POST", "PATCH", "OPTIONS", "get"])} ${pick(random, [
          "/dataSource/%",
          "/dataSource/%E0%A4%A",
          "/dataSource/name/%00",
          "/dataSource/name/%C0%AF..%C0%AF",
          "/dataSource/-1",
          "/dataSource/1e309",
          "/dataSource/0x10",
          "/native-s3/handler/99999999999999999999",
          "//dataSource",
          "/dataSource/",
          "/dataSource?size=-1&offset=abc",
          "/dataSource?searchText=%ZZ&size=1e9",
          "/dataSource?size=100000000000000000000",
          "/__emulator/store",
          "/__emulator/../dataSource",
          "/__emulator",
          "http://elsewhere.invalid/dataSource",
        ])} HTTP/1.1`,
        ["host: x", auth(random)].filter(Boolean),
      ),
    ],
    pauseMs: 0,
    finish: "wait",
  }),
  "control API, invalid bodies": (random) => {
    // Every body has an unknown member, which the control API rejects: fuzzing must not install real faults.
    const body = JSON.stringify({
      ...pick(random, [
        { rules: [{ kind: "reset" }] },
        { rules: [{ kind: "slow", slowMs: 1e12 }], seed: -1 },
        { names: "shout" },
        { name: 5, prefix: "s3://x" },
        { rules: "all" },
      ]),
      zzz: true,
    });
    return {
      category: "control API, invalid bodies",
      pieces: [
        request(
          `${pick(random, ["PUT /__emulator/faults", "PATCH /__emulator/modes", "POST /__emulator/data-sources", "PATCH /__emulator/data-sources/1", "POST /__emulator/integrations"])} HTTP/1.1`,
          [
            "host: x",
            pick(random, [`x-emulator-admin-token: ${ADMIN}`, "x-emulator-admin-token: guess"]),
            "content-type: application/json",
            `content-length: ${body.length}`,
          ],
          body,
        ),
      ],
      pauseMs: 0,
      finish: "wait",
    };
  },
  pipelined: (random) => ({
    category: "pipelined",
    pieces: [
      Buffer.concat([
        request("GET /dataSource HTTP/1.1", ["host: x", `authorization: ${API_KEY}`]),
        pick(random, [
          Buffer.from(`GARBAGE${CRLF}${CRLF}`),
          request("GET /dataSource/%zz HTTP/1.1", ["host: x"]),
          bytes(random, 30),
        ]),
        request("GET /dataSource HTTP/1.1", ["host: x", `authorization: ${API_KEY}`]),
      ]),
    ],
    pauseMs: 0,
    finish: "wait",
  }),
  "slow partial send": (random) => {
    const whole = request(
      "POST /native-s3/handler HTTP/1.1",
      ["host: x", `authorization: ${API_KEY}`, "content-type: application/json", "content-length: 200"],
      '{"type":"Native S3",',
    );
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < whole.length;) {
      const size = 1 + int(random, 12);
      pieces.push(whole.subarray(offset, offset + size));
      offset += size;
    }
    // At most ~1.2 s of dribbling, then give up on the request (our side closes).
    return {
      category: "slow partial send",
      pieces: pieces.slice(0, 12),
      pauseMs: 60 + int(random, 40),
      finish: "destroy",
    };
  },
};

interface Outcome {
  status?: number;
  result: "answered" | "closed" | "gave up";
}

function exchange(port: number, plan: Exchange): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    let settled = false;
    const done = (result: Outcome["result"]) => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      socket.destroy();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1];
      resolve({ ...(status ? { status: Number(status) } : {}), result: status ? "answered" : result });
    };
    const limit = setTimeout(() => done("gave up"), EXCHANGE_LIMIT_MS);
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      // One answer is enough for a verdict (pipelined ones get their first answer recorded).
      if (plan.finish === "wait" && /\r\n\r\n/.test(received) && plan.category !== "pipelined")
        done("answered");
    });
    socket.on("error", () => done("closed"));
    socket.on("close", () => done("closed"));
    socket.on("connect", () => {
      void (async () => {
        for (const piece of plan.pieces) {
          if (socket.destroyed) return;
          socket.write(piece);
          if (plan.pauseMs > 0) await sleep(plan.pauseMs);
        }
        if (plan.finish === "end") socket.end();
        if (plan.finish === "destroy") done("closed");
      })();
    });
  });
}

/** Valid traffic between bursts: creates, a rename, a disable, a purge. */
async function mutate(url: string, random: Random, burst: number): Promise<void> {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: API_KEY, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status).toBeLessThan(300);
    return text === "" ? undefined : JSON.parse(text);
  };
  const created: number[] = [];
  for (let index = 0; index < 4; index++) {
    const answer = await call("POST", "/native-s3/handler", {
      type: "Native S3",
      integrationId: 1,
      dataSources: [
        {
          dataSourceName: `burst-${burst}-${index}`,
          prefix: `fuzz-${burst}-${index}/k${int(random, 1000)}`,
        },
      ],
    });
    created.push((answer as { dataSourceId: number }).dataSourceId);
  }
  await call("PUT", `/dataSource/${created[0]}`, { name: `burst-${burst}-renamed` });
  await call("DELETE", `/dataSource/${created[1]}`);
  await call("DELETE", `/dataSource/${created[2]}`);
  await call("DELETE", `/dataSource/${created[2]}`);
}

const report = new SectionRecorder("emulator-fuzz", 1);
let compiled: ReturnType<typeof compileEmulatorCli>;
let directory: string;
let emulator: CliProcess | undefined;
const tally = new Map<
  string,
  { sent: number; statuses: Map<number, number>; closed: number; gaveUp: number }
>();
let observed: EmulatorFuzzData | undefined;

beforeAll(() => {
  compiled = compileEmulatorCli();
  directory = mkdtempSync(join(tmpdir(), "immuta-emulator-fuzz-"));
});

afterAll(() => {
  if (emulator && emulator.child.exitCode === null) emulator.child.kill("SIGKILL");
  compiled?.cleanup();
  rmSync(directory, { recursive: true, force: true });
});

async function start(dataFile: string): Promise<{ cli: CliProcess; url: string; control: EmulatorControl }> {
  const cli = spawnCli(compiled.cliPath, [
    "--port",
    "0",
    "--api-key",
    API_KEY,
    "--admin-token",
    ADMIN,
    "--data-file",
    dataFile,
    "--log-requests",
  ]);
  const url = await waitForReady(cli);
  return { cli, url, control: new EmulatorControl(url, ADMIN) };
}

function onDisk(dataFile: string): StoreSnapshot {
  const content = JSON.parse(readFileSync(dataFile, "utf8")) as StoreSnapshot & { format: string };
  expect(content.format).toBe("immuta-emulator-state");
  return { dataSources: content.dataSources, integrations: content.integrations, nextIds: content.nextIds };
}

/** Internal errors the emulator logs (a handler that threw, a failed persist): each one is a bug. */
const internalErrors = (stderr: string) => stderr.split("\n").filter((line) => /^emulator: /.test(line));

it(
  "survives seeded bursts of malformed requests; its data file always parses and matches, also after a restart",
  report.gated(async () => {
    const dataFile = join(directory, "state.json");
    const random = prng(SEED);
    const running = await start(dataFile);
    emulator = running.cli;
    const port = Number(new URL(running.url).port);
    let fileReads = 0;
    let reading = true;
    // Reads the file as often as it can while bursts run: an atomic writer never shows a torn file.
    const reader = (async () => {
      while (reading) {
        onDisk(dataFile);
        fileReads++;
        await sleep(5);
      }
    })();

    const categories = Object.keys(GENERATORS);
    let mutations = 0;
    for (let burst = 1; burst <= BURSTS; burst++) {
      const plans = Array.from({ length: REQUESTS_PER_BURST }, () =>
        GENERATORS[pick(random, categories)](random),
      );
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < plans.length) {
            const plan = plans[next++];
            const outcome = await exchange(port, plan);
            const entry = tally.get(plan.category) ?? { sent: 0, statuses: new Map(), closed: 0, gaveUp: 0 };
            entry.sent++;
            if (outcome.status !== undefined)
              entry.statuses.set(outcome.status, (entry.statuses.get(outcome.status) ?? 0) + 1);
            else if (outcome.result === "gave up") entry.gaveUp++;
            else entry.closed++;
            tally.set(plan.category, entry);
          }
        }),
      );
      // Still alive and serving, with the file matching what it serves.
      expect(running.cli.child.exitCode).toBeNull();
      const health = await fetch(`${running.url}/dataSource?size=1000`, {
        headers: { authorization: API_KEY },
      });
      expect(health.status).toBe(200);
      expect(onDisk(dataFile)).toEqual(await running.control.store());
      await mutate(running.url, random, burst);
      mutations += 8;
      expect(onDisk(dataFile)).toEqual(await running.control.store());
    }
    reading = false;
    await reader;

    // The request log agrees: no request, not even one whose client vanished mid-body, counted as a server error.
    const logged = await running.control.requests();
    expect(logged.length).toBeGreaterThan(BURSTS * REQUESTS_PER_BURST * 0.5);
    expect(logged.filter((entry) => entry.status >= 500)).toEqual([]);
    const before = await running.control.store();
    expect(before.dataSources.length).toBeGreaterThanOrEqual(BURSTS * 3);
    running.cli.child.kill("SIGTERM");
    expect(await running.cli.exited).toEqual({ code: 0, signal: null });
    expect(internalErrors(running.cli.stderr())).toEqual([]);

    const restarted = await start(dataFile);
    emulator = restarted.cli;
    try {
      expect(await restarted.control.store()).toEqual(before);
    } finally {
      restarted.cli.child.kill("SIGTERM");
      await restarted.cli.exited;
    }

    const fiveHundreds = [...tally.values()].flatMap((entry) =>
      [...entry.statuses].filter(([status]) => status >= 500),
    );
    expect(fiveHundreds).toEqual([]);
    const sent = [...tally.values()].reduce((sum, entry) => sum + entry.sent, 0);
    expect(sent).toBe(BURSTS * REQUESTS_PER_BURST);
    expect(fileReads).toBeGreaterThan(50);
    observed = {
      seed: SEED,
      bursts: BURSTS,
      requestsPerBurst: REQUESTS_PER_BURST,
      concurrency: CONCURRENCY,
      sent,
      mutations,
      fileReads,
      afterRestart: { sources: before.dataSources.length, nextId: before.nextIds.dataSourceId },
      categories: [...tally].map(([category, entry]) => ({
        category,
        sent: entry.sent,
        statuses: Object.fromEntries(entry.statuses),
        closed: entry.closed,
        gaveUp: entry.gaveUp,
      })),
    };
  }),
);

it("docs/reliability.md's emulator robustness table shows what this run observed (else run `npm run docs`)", () => {
  report.verify(() => observed!);
});
