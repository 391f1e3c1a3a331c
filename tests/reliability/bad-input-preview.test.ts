/**
 * Malformed declarations through the real engine's `pulumi preview` (the whole corpus goes through `check` in
 * bad-input.test.ts, a unit test): the user must read every broken property's name in the error while Immuta sees
 * nothing.
 */
import { API_KEY, startTestEmulator, type TestEmulator } from "../e2e/support/emulator";
import { createTestStack, type TestStack } from "../e2e/support/stack";
import { SectionRecorder } from "./report/recorder";
import type { BadInputPreviewData } from "./report/render";

jest.setTimeout(180_000);

/** Declarations sent through `pulumi preview`, several errors each; every property must be named. */
const THROUGH_THE_ENGINE: { declaration: Record<string, unknown>; properties: string[] }[] = [
  {
    declaration: {
      integrationId: 1.5,
      prefix: "s3://acme-research/../secret",
      dataSourceName: "n".repeat(300),
    },
    properties: ["integrationId", "prefix", "dataSourceName"],
  },
  {
    declaration: { integrationId: "1", prefix: "gs://acme-research/raw", dataSourceName: "re\u200bsearch" },
    properties: ["integrationId", "prefix", "dataSourceName"],
  },
  {
    declaration: {
      integrationId: -1,
      prefix: "s3://\u0430cme-research//raw",
      dataSourceName: "line\nbreak",
      tenant: "prod uction",
    },
    properties: ["integrationId", "prefix", "dataSourceName", "tenant"],
  },
  {
    declaration: {
      integrationId: 0,
      prefix: "s3://Acme-Research",
      dataSourceName: "",
      adopt: { dataSourceId: 0 },
    },
    properties: ["integrationId", "prefix", "dataSourceName", "adopt.dataSourceId"],
  },
];

const report = new SectionRecorder("bad-input-preview", THROUGH_THE_ENGINE.length);
let immuta: TestEmulator;
const observed: BadInputPreviewData = { throughTheEngine: [] };

beforeAll(async () => {
  immuta = await startTestEmulator();
});

afterAll(async () => {
  await immuta?.emulator.close();
});

/** The declaration as JSON, with non-finite numbers (NaN) shown rather than turned into null. */
const asJson = (declaration: Record<string, unknown>) =>
  JSON.stringify(declaration, (_key, value: unknown) =>
    typeof value === "number" && !Number.isFinite(value) ? String(value) : value,
  );

describe("through the engine's preview", () => {
  let test: TestStack;

  beforeAll(async () => {
    test = await createTestStack({ immutaUrl: immuta.emulator.url, apiKey: API_KEY, sources: {} });
  });
  afterAll(async () => {
    await test?.dispose();
  });

  it.each(THROUGH_THE_ENGINE.map((entry, index) => [index + 1, entry] as const))(
    "preview %i fails naming every broken property, and Immuta sees nothing",
    report.gated(async (_index, { declaration, properties }) => {
      await immuta.clear();
      await test.setSources({ broken: declaration });
      const error = await test.stack.preview().then(
        () => undefined,
        (failure: Error) => failure,
      );
      expect(error).toBeDefined();
      const printed = error!.message;
      for (const property of properties) {
        // How the provider names a failure in its reason: `<property> ...` or `<property> "<value>" ...`.
        expect(printed).toMatch(new RegExp(`\\b${property.replace(".", "\\.")}( "| )`));
      }
      const calls = await immuta.calls();
      expect(calls).toEqual([]);
      observed.throughTheEngine.push({
        declaration: asJson(declaration),
        properties,
        requests: calls.length,
      });
    }),
  );
});

it("docs/reliability.md's bad-input table through the engine shows what this run observed (else run `npm run docs`)", () => {
  report.verify(() => observed);
});
