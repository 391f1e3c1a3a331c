/**
 * A recovery's `pulumi up` takes over, on the 409, exactly the sources the interrupted run's creates registered
 * (PULUMI_IMMUTA_RECOVERY_FILE), and still refuses every other existing source, saying why.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineLog } from "../../provider/runtime/engine-log";
import {
  adoptedSourceOf,
  formatRecoveryFile,
  parseRecoveryFile,
  RECOVERY_FILE_ENV,
  type PendingCreate,
  type RecoveryFile,
} from "../../provider/operations/interrupted-run";
import { canonicalPrefix, declaration, expectedImmutaName, rejectionOf, useHarness } from "./support";

const HOUR = 3_600_000;
let folder: string;

beforeAll(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-immuta-recovery-"));
});
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

/** The pending create the checkpoint records for `declaration(tag)`, as the recovery writes it. */
function pendingCreate(tag: string): PendingCreate {
  return {
    urn: `urn:pulumi:e2e::immuta-e2e::pulumi-nodejs:dynamic/immuta:S3DataSource::${tag}`,
    tenant: "default",
    integrationId: 1,
    dataSourceName: `${tag} data`,
    prefix: canonicalPrefix(tag),
  };
}

function recoveryFile(overrides: Partial<RecoveryFile> = {}): string {
  const file = path.join(folder, `recovery-${Math.random().toString(36).slice(2)}.json`);
  const recovery: RecoveryFile = {
    version: 1,
    stack: "e2e",
    runStartedAt: new Date(Date.now() - 60_000).toISOString(),
    maxClockSkewSeconds: 60,
    validUntil: new Date(Date.now() + HOUR).toISOString(),
    pendingCreates: [pendingCreate("cut")],
    ...overrides,
  };
  fs.writeFileSync(file, formatRecoveryFile(recovery));
  return file;
}

function recordingLog(): EngineLog & { infos: string[] } {
  const infos: string[] = [];
  return { infos, info: (message) => infos.push(message), warn: () => undefined };
}

describe.each(["honour", "generate"] as const)("names: %s", (names) => {
  const harness = useHarness({ names });

  /** A source with the declared name and prefix, registered at `createdAt` (default: now, during the run). */
  async function seed(tag: string, extra: { createdAt?: string; deleted?: boolean; prefix?: string } = {}) {
    const seeded = await harness.control.seedDataSource({
      name: expectedImmutaName(tag, names),
      prefix: extra.prefix ?? canonicalPrefix(tag),
      ...(extra.createdAt === undefined ? {} : { createdAt: extra.createdAt }),
      ...(extra.deleted === undefined ? {} : { deleted: extra.deleted }),
    });
    await harness.control.clearRequests();
    return seeded;
  }

  async function createWith(file: string | undefined, tag: string, log: EngineLog = recordingLog()) {
    const engine = harness.providerWith({
      env: file === undefined ? {} : { [RECOVERY_FILE_ENV]: file },
      log,
    });
    const inputs = await engine.check(declaration(tag));
    return engine.create(inputs);
  }

  it("adopts the source the interrupted run's create registered: one POST (409), no new source", async () => {
    const registered = await seed("cut");
    const log = recordingLog();

    const { id, outs } = await createWith(recoveryFile(), "cut", log);

    expect(id).toBe(String(registered.id));
    expect(outs).toMatchObject({
      dataSourceId: registered.id,
      handlerId: registered.handlerId,
      prefix: canonicalPrefix("cut"),
    });
    expect(await harness.sources()).toHaveLength(1);
    expect((await harness.requests()).filter((request) => !request.startsWith("GET "))).toEqual([
      "POST /native-s3/handler",
    ]);
    const adoptions = log.infos.filter((message) => message.startsWith("Adopted "));
    expect(adoptions).toHaveLength(1);
    expect(adoptions[0]).toMatch(
      new RegExp(
        `^Adopted data source "${expectedImmutaName("cut", names).replace(/[()*]/g, "\\$&")}" \\(s3://acme-cut/raw, id ${registered.id}\\), ` +
          `which the interrupted run registered: Immuta created it at ${registered.createdAt}, after that run started at .+ ` +
          "\\(allowing 60 s of clock skew\\), and its create was in flight when the run ended\\.$",
      ),
    );
    expect(adoptedSourceOf(adoptions[0])).toEqual({ name: registered.name, dataSourceId: registered.id });
  });

  it("without the setting, the same source is refused with the 409's guidance, as on every ordinary run", async () => {
    const registered = await seed("cut");
    const error = await rejectionOf(createWith(undefined, "cut"));
    expect(error.message).toContain(
      "failed: Immuta already holds a data source with this name or prefix (HTTP 409",
    );
    expect(error.message).toContain(`It is data source id ${registered.id}`);
    expect(error.message).not.toContain("interrupted run");
  });

  it("refuses a source registered by hand before the run, although its declaration's create was in flight", async () => {
    const runStartedAt = new Date(Date.now() - 60_000).toISOString();
    const byHand = await seed("cut", { createdAt: new Date(Date.now() - HOUR).toISOString() });
    const error = await rejectionOf(createWith(recoveryFile({ runStartedAt }), "cut"));
    expect(error.message).toContain(
      `Not adopted as a source of the interrupted run: Immuta created it at ${byHand.createdAt}, before the ` +
        `interrupted run started at ${runStartedAt} (allowing 60 s of clock skew), so that run did not register it.`,
    );
    expect(error.message).toContain(`It is data source id ${byHand.id}`);
    expect(await harness.sources()).toHaveLength(1);
  });

  it("allows the clock skew it is given, and no more", async () => {
    const runStartedAt = new Date(Date.now() - 60_000);
    const createdAt = new Date(runStartedAt.getTime() - 30_000).toISOString();
    await seed("cut", { createdAt });
    const tight = await rejectionOf(
      createWith(recoveryFile({ runStartedAt: runStartedAt.toISOString(), maxClockSkewSeconds: 10 }), "cut"),
    );
    expect(tight.message).toContain("(allowing 10 s of clock skew), so that run did not register it");
    const { outs } = await createWith(
      recoveryFile({ runStartedAt: runStartedAt.toISOString(), maxClockSkewSeconds: 60 }),
      "cut",
    );
    expect(outs).toMatchObject({ prefix: canonicalPrefix("cut") });
  });

  it("refuses a source whose declaration had no create in flight", async () => {
    await seed("other");
    const error = await rejectionOf(createWith(recoveryFile(), "other"));
    expect(error.message).toContain(
      "Not adopted as a source of the interrupted run: the interrupted run of stack e2e had no create of this declaration in flight.",
    );
  });

  it("refuses a disabled source, and a source with the declared name but another prefix", async () => {
    await seed("cut", { deleted: true });
    const disabled = await rejectionOf(createWith(recoveryFile(), "cut"));
    expect(disabled.message).toContain(
      "it is disabled in Immuta, so someone acted on it after the interrupted run registered it.",
    );

    if (names === "honour") {
      await seed("moved", { prefix: "s3://elsewhere/raw" });
      const error = await rejectionOf(
        createWith(recoveryFile({ pendingCreates: [pendingCreate("moved")] }), "moved"),
      );
      expect(error.message).toContain("the source holding the name or prefix is not the declared one.");
      expect(error.message).toContain(
        "prefix: Immuta has s3://elsewhere/raw, the declaration says s3://acme-moved/raw",
      );
    }
  });

  it("adopts nothing through a missing, unreadable or expired file, and says so", async () => {
    await seed("cut");
    const missing = path.join(folder, "missing.json");
    expect((await rejectionOf(createWith(missing, "cut"))).message).toContain(
      `Not adopted as a source of the interrupted run: the recovery file (${RECOVERY_FILE_ENV}=${missing}) does not exist.`,
    );
    const broken = path.join(folder, "broken.json");
    fs.writeFileSync(broken, "{ not json");
    expect((await rejectionOf(createWith(broken, "cut"))).message).toMatch(
      /the recovery file \(.*broken\.json\) is not JSON/,
    );
    const validUntil = new Date(Date.now() - 1_000).toISOString();
    expect((await rejectionOf(createWith(recoveryFile({ validUntil }), "cut"))).message).toContain(
      `expired at ${validUntil}; run the recovery again.`,
    );
    expect(await harness.sources()).toHaveLength(1);
  });
});

describe("the recovery file", () => {
  it("is read back as written; every malformed part is named", () => {
    const recovery: RecoveryFile = {
      version: 1,
      stack: "prod",
      runStartedAt: "2026-06-30T10:00:00.000Z",
      maxClockSkewSeconds: 60,
      validUntil: "2026-06-30T11:00:00.000Z",
      pendingCreates: [pendingCreate("a")],
    };
    expect(parseRecoveryFile(formatRecoveryFile(recovery))).toEqual(recovery);
    const broken = (change: Record<string, unknown>) =>
      parseRecoveryFile(JSON.stringify({ ...recovery, ...change }));
    expect(broken({ version: 2 })).toEqual({ problem: "has version 2, not 1" });
    expect(broken({ runStartedAt: "soon" })).toEqual({ problem: "has no valid runStartedAt time" });
    expect(broken({ maxClockSkewSeconds: -1 })).toEqual({ problem: "has no maxClockSkewSeconds >= 0" });
    expect(broken({ pendingCreates: [{ ...pendingCreate("a"), integrationId: "1" }] })).toEqual({
      problem: "pendingCreates[0].integrationId is not a positive whole number",
    });
    expect(parseRecoveryFile("[]")).toEqual({ problem: "is not a JSON object" });
  });

  it("adoption notices are told from any other message", () => {
    expect(adoptedSourceOf("retrying GET /dataSource/3 in 1000 ms after HTTP 429")).toBeUndefined();
    expect(
      adoptedSourceOf(
        'Adopted data source "s3://b/k (123*****9012/us-east-2)" (s3://b/k, id 17), which the interrupted run registered: …',
      ),
    ).toEqual({ name: "s3://b/k (123*****9012/us-east-2)", dataSourceId: 17 });
  });
});
