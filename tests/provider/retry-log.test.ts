/**
 * Each retry is reported once, naming the operation and the resource it belongs to, even when several operations
 * run at once through one client (as during `pulumi up`).
 */
import { EmulatorControl, startEmulator, type RunningEmulator } from "../../emulator";
import { createProvider, type ImmutaResourceProvider } from "../../provider/resource-provider";
import { API_KEY, canonicalPrefix, declaration, Engine, FAST_RETRY } from "./support";

describe("retries in the engine log", () => {
  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let provider: ImmutaResourceProvider;
  const lines: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY });
    control = new EmulatorControl(emulator.url, emulator.adminToken);
  });
  afterAll(() => emulator.close());
  beforeEach(async () => {
    await control.reset();
    lines.length = 0;
    provider = createProvider({
      env: { IMMUTA_URL: emulator.url, IMMUTA_API_KEY: API_KEY },
      clientOptions: FAST_RETRY,
      log: { info: (line) => lines.push(line), warn: (line) => lines.push(`warning: ${line}`) },
    });
  });
  afterEach(() => provider.close());

  it("names the resource of each retry when creates run concurrently", async () => {
    const engine = new Engine(provider);
    await control.setFaults([
      { method: "POST", path: "/native-s3/handler", kind: "status", status: 503, times: 2 },
    ]);
    const tags = ["alpha", "beta"];
    await Promise.all(tags.map(async (tag) => engine.create(await engine.check(declaration(tag)))));

    const retries = lines.filter((line) => line.includes("retrying"));
    expect(retries).toHaveLength(2);
    for (const tag of tags) {
      const line = retries.find((l) => l.includes(`"${tag} data"`));
      expect(line).toMatch(
        new RegExp(
          `^Creating data source "${tag} data" \\(${canonicalPrefix(tag).replace(/\//g, "\\/")}\\): ` +
            `retrying POST /native-s3/handler in \\d+ ms after HTTP 503 Service Unavailable \\(attempt 1 failed\\)$`,
        ),
      );
    }
    expect(lines.join("\n")).not.toContain(API_KEY);
  });

  it("says nothing of retries when none happens; only where the integration's location came from", async () => {
    const engine = new Engine(provider);
    await engine.create(await engine.check(declaration("quiet")));
    expect(lines).toEqual(["Integration 1: awsLocationPath s3:// (read from Immuta's integrations API)."]);
  });
});
