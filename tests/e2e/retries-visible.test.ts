/**
 * A request that Immuta answers with a transient failure is retried; the person running `pulumi up` or
 * `pulumi refresh` sees one line per retry in the engine's output (operation, resource, status, wait), and never
 * the API key.
 */
import { API_KEY, emulatorForFile } from "./support/emulator";
import { createTestStack, type TestStack } from "./support/stack";

jest.setTimeout(300_000);

const declared = {
  research: { integrationId: 1, prefix: "s3://acme-retries/raw", dataSourceName: "research" },
};

describe("retries are visible in the engine's output", () => {
  const immuta = emulatorForFile();
  let test: TestStack;

  beforeAll(async () => {
    test = await createTestStack({ immutaUrl: immuta.emulator.url, apiKey: API_KEY, sources: declared });
  });

  afterAll(async () => {
    await test?.stack.destroy().catch(() => undefined);
    await test?.dispose();
  });

  it("a create answered 503 once logs the retry with the resource, the status and the wait", async () => {
    await immuta.control.setFaults([
      { method: "POST", path: "/native-s3/handler", kind: "status", status: 503, times: 1 },
    ]);
    let output = "";
    const result = await test.stack.up({ onOutput: (text) => (output += text) });
    expect(result.summary.resourceChanges).toMatchObject({ create: 2 }); // the stack and the source
    expect(output).toMatch(
      /Creating data source "research" \(s3:\/\/acme-retries\/raw\): retrying POST \/native-s3\/handler in \d+ ms after HTTP 503 Service Unavailable \(attempt 1 failed\)/,
    );
    expect(output).not.toContain(API_KEY);
  });

  it("a refresh answered 429 with Retry-After logs the wait Immuta asked for", async () => {
    await immuta.control.setFaults([
      { method: "GET", path: "/dataSource/*", kind: "status", status: 429, retryAfter: "1", times: 1 },
    ]);
    let output = "";
    await test.stack.refresh({ onOutput: (text) => (output += text) });
    expect(output).toMatch(
      /Refreshing data source "research" \(s3:\/\/acme-retries\/raw, id \d+\): retrying GET \/dataSource\/\d+ in 1000 ms after HTTP 429 Too Many Requests \(attempt 1 failed\)/,
    );
    expect(output).not.toContain(API_KEY);
  });
});
