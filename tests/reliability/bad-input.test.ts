/**
 * A corpus of malformed declarations: each must fail `check` naming the property, before any request reaches
 * Immuta. The whole corpus goes through the provider's `check`, against the emulator (no engine: a unit test); a
 * sample goes through the real engine's `preview` in bad-input-preview.test.ts.
 */
import { API_KEY, startTestEmulator, type TestEmulator } from "../e2e/support/emulator";
import { createProvider, type ImmutaResourceProvider } from "../../provider/resource-provider";
import { SectionRecorder } from "./report/recorder";
import type { BadInputData } from "./report/render";

jest.setTimeout(180_000);

const VALID = { integrationId: 1, prefix: "s3://acme-research/raw", dataSourceName: "research" };

interface BadDeclaration {
  what: string;
  declaration: Record<string, unknown>;
  /** The property `check` must name. */
  property: string;
}

const bad = (what: string, change: Record<string, unknown>, property: string): BadDeclaration => ({
  what,
  declaration: { ...VALID, ...change },
  property,
});
const without = (what: string, key: string): BadDeclaration => {
  const declaration: Record<string, unknown> = { ...VALID };
  delete declaration[key];
  return { what, declaration, property: key };
};

const CORPUS: BadDeclaration[] = [
  // Wrong types
  bad("integrationId as a string", { integrationId: "1" }, "integrationId"),
  bad("integrationId as a boolean", { integrationId: true }, "integrationId"),
  bad("integrationId null", { integrationId: null }, "integrationId"),
  bad("integrationId as an array", { integrationId: [1] }, "integrationId"),
  bad("prefix as a number", { prefix: 42 }, "prefix"),
  bad("prefix as an array", { prefix: ["s3://acme-research"] }, "prefix"),
  bad("dataSourceName as an object", { dataSourceName: { en: "research" } }, "dataSourceName"),
  bad("dataSourceName as a number", { dataSourceName: 7 }, "dataSourceName"),
  bad("tenant as a number", { tenant: 3 }, "tenant"),
  bad("adopt as a string", { adopt: "byName" }, "adopt"),
  bad("adopt.byName as a string", { adopt: { byName: "true" } }, "adopt.byName"),
  bad("adopt.dataSourceId as a string", { adopt: { dataSourceId: "42" } }, "adopt.dataSourceId"),
  bad("disabled as a string", { disabled: "false" }, "disabled"),
  // Empty and huge strings
  bad("empty dataSourceName", { dataSourceName: "" }, "dataSourceName"),
  bad("empty prefix", { prefix: "" }, "prefix"),
  bad("empty tenant", { tenant: "" }, "tenant"),
  bad("dataSourceName of 256 characters", { dataSourceName: "n".repeat(256) }, "dataSourceName"),
  bad("dataSourceName of 100,000 characters", { dataSourceName: "n".repeat(100_000) }, "dataSourceName"),
  bad("prefix with a 1,100-byte key", { prefix: `s3://acme-research/${"k".repeat(1_100)}` }, "prefix"),
  bad("bucket name of 64 characters", { prefix: `s3://${"b".repeat(64)}` }, "prefix"),
  // Control and look-alike Unicode characters
  bad("NUL in dataSourceName", { dataSourceName: "research\u0000" }, "dataSourceName"),
  bad("line break in dataSourceName", { dataSourceName: "line\nbreak" }, "dataSourceName"),
  bad(
    "right-to-left override in dataSourceName",
    { dataSourceName: "\u202eatad hcraeser" },
    "dataSourceName",
  ),
  bad("zero-width space in dataSourceName", { dataSourceName: "re\u200bsearch" }, "dataSourceName"),
  bad("leading space in dataSourceName", { dataSourceName: " research" }, "dataSourceName"),
  bad("leading no-break space in dataSourceName", { dataSourceName: "\u00a0research" }, "dataSourceName"),
  bad("dataSourceName not in NFC (e + combining accent)", { dataSourceName: "cafe\u0301" }, "dataSourceName"),
  bad("Cyrillic 'а' in the bucket", { prefix: "s3://\u0430cme-research/raw" }, "prefix"),
  bad("zero-width space in the bucket", { prefix: "s3://acme\u200b-research/raw" }, "prefix"),
  bad("BEL control character in the key", { prefix: "s3://acme-research/raw\u0007" }, "prefix"),
  bad("full-width 's' in the scheme", { prefix: "\uff533://acme-research/raw" }, "prefix"),
  bad("full-width solidus after the scheme", { prefix: "s3:\uff0f\uff0facme-research" }, "prefix"),
  // `..`, `.` and `//`
  bad("'..' segment", { prefix: "s3://acme-research/raw/../secret" }, "prefix"),
  bad("'..' as the whole key", { prefix: "s3://acme-research/.." }, "prefix"),
  bad("'.' segment", { prefix: "s3://acme-research/./raw" }, "prefix"),
  bad("'//' inside the key", { prefix: "s3://acme-research/raw//2026" }, "prefix"),
  bad("'//' after the bucket", { prefix: "s3://acme-research//raw" }, "prefix"),
  bad("trailing '//'", { prefix: "s3://acme-research/raw//" }, "prefix"),
  // Other schemes and malformed buckets
  bad("gs:// scheme", { prefix: "gs://acme-research/raw" }, "prefix"),
  bad("https URL of the bucket", { prefix: "https://acme-research.s3.amazonaws.com/raw" }, "prefix"),
  bad("s3a:// scheme", { prefix: "s3a://acme-research/raw" }, "prefix"),
  bad("no scheme", { prefix: "acme-research/raw" }, "prefix"),
  bad("file:// URL", { prefix: "file:///etc/passwd" }, "prefix"),
  bad("upper-case bucket", { prefix: "s3://Acme-Research/raw" }, "prefix"),
  bad("bucket formatted as an IP address", { prefix: "s3://192.168.1.10/raw" }, "prefix"),
  bad("underscore in the bucket", { prefix: "s3://acme_research/raw" }, "prefix"),
  // Integration ids
  bad("negative integrationId", { integrationId: -1 }, "integrationId"),
  bad("zero integrationId", { integrationId: 0 }, "integrationId"),
  bad("fractional integrationId", { integrationId: 1.5 }, "integrationId"),
  bad("integrationId beyond 2^53", { integrationId: Number.MAX_SAFE_INTEGER + 2 }, "integrationId"),
  bad("integrationId NaN", { integrationId: Number.NaN }, "integrationId"),
  bad("zero adopt.dataSourceId", { adopt: { dataSourceId: 0 } }, "adopt.dataSourceId"),
  bad("negative adopt.dataSourceId", { adopt: { dataSourceId: -7 } }, "adopt.dataSourceId"),
  bad("fractional adopt.dataSourceId", { adopt: { dataSourceId: 2.5 } }, "adopt.dataSourceId"),
  // Unknown fields and missing ones
  bad("unknown field 'bucket'", { bucket: "acme-research" }, "bucket"),
  bad("misspelt field 'dataSourceNmae'", { dataSourceNmae: "research" }, "dataSourceNmae"),
  bad("unknown field named 'constructor'", { constructor: "x" }, "constructor"),
  bad("unknown field inside adopt", { adopt: { byName: true, force: true } }, "adopt.force"),
  without("prefix missing", "prefix"),
  without("integrationId missing", "integrationId"),
  // Values of the right type that make no sense
  bad("disabled: true", { disabled: true }, "disabled"),
  bad("adopt naming nothing", { adopt: {} }, "adopt"),
  bad("adopt naming both an id and byName", { adopt: { byName: true, dataSourceId: 3 } }, "adopt"),
  bad("tenant with a space", { tenant: "prod uction" }, "tenant"),
  bad("tenant with a path", { tenant: "../etc" }, "tenant"),
];

const report = new SectionRecorder("bad-input", CORPUS.length + 2);
let immuta: TestEmulator;
let provider: ImmutaResourceProvider;
const observed: BadInputData = { corpus: [] };

beforeAll(async () => {
  immuta = await startTestEmulator();
  provider = createProvider({ env: { IMMUTA_URL: immuta.emulator.url, IMMUTA_API_KEY: API_KEY } });
});

afterAll(async () => {
  provider?.close();
  await immuta?.emulator.close();
});

/** The declaration as JSON, with non-finite numbers (NaN) shown rather than turned into null. */
const asJson = (declaration: Record<string, unknown>) =>
  JSON.stringify(declaration, (_key, value: unknown) =>
    typeof value === "number" && !Number.isFinite(value) ? String(value) : value,
  );

it(
  `has at least 30 malformed declarations (${CORPUS.length})`,
  report.gated(() => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
  }),
);

describe("check", () => {
  it.each(CORPUS.map((entry) => [entry.what, entry] as const))(
    "%s: fails naming the property",
    report.gated(async (_what, entry) => {
      const result = await provider.check({}, { ...entry.declaration, __provider: "ref" });
      const failures = result.failures ?? [];
      const named = failures.find((failure) => failure.property === entry.property);
      expect(named).toBeDefined();
      // The message a user reads starts with the property's name (or quotes the offending value after it).
      expect(named!.reason.startsWith(entry.property)).toBe(true);
      // Only the broken property is reported: the valid ones beside it are not blamed.
      expect(failures.map((failure) => failure.property)).toEqual([entry.property]);
      observed.corpus.push({
        what: entry.what,
        declaration: asJson(entry.declaration),
        property: entry.property,
        reason: named!.reason,
      });
    }),
  );

  it(
    "sent no request to Immuta",
    report.gated(async () => {
      expect(await immuta.calls()).toEqual([]);
    }),
  );
});

it("docs/reliability.md's bad-input table shows what this run observed (else run `npm run docs`)", () => {
  report.verify(() => observed);
});
