/**
 * The lifecycle every language's inline program goes through with the native plugin: up three sources, a second up
 * and a refresh change nothing, a rename replaces (two DELETEs before the POST), destroy purges everything.
 */
import * as path from "node:path";
import { API_KEY, count, type TestEmulator } from "./emulator";
import { countOperations, expectSuccess, run } from "./native-plugin";
import { pulumiBinDir } from "./pulumi-cli";

export interface StepResult {
  operations: { name: string; op: string; keys: string[] }[];
  changes: Record<string, number>;
  outputs: Record<string, { dataSourceId: number; immutaName: string }>;
}

export type Step = (
  name: "up" | "preview" | "refresh" | "destroy",
  sources: Record<string, unknown>,
) => Promise<StepResult>;

export const THREE_SOURCES = {
  research: { integrationId: 1, prefix: "s3://acme-research/raw/", dataSourceName: "research" },
  finance: { integrationId: 1, prefix: "s3://acme-finance", dataSourceName: "finance" },
  marketing: { integrationId: 1, prefix: "s3://acme-marketing/campaigns/2026", dataSourceName: "marketing" },
};

/**
 * One step of an inline program (`command ...args <step>`): the program reads where to work and what to declare
 * from E2E_* variables and prints its StepResult as its last line.
 */
export async function runInlineStep(
  command: string,
  args: string[],
  context: { env: Record<string, string>; workDir: string; immuta: TestEmulator },
  name: string,
  declared: Record<string, unknown>,
): Promise<StepResult> {
  const result = expectSuccess(
    [path.basename(command), ...args, name].join(" "),
    await run(command, [...args, name], {
      env: {
        ...context.env,
        E2E_WORK_DIR: context.workDir,
        E2E_PULUMI_ROOT: path.dirname(pulumiBinDir()),
        E2E_IMMUTA_URL: context.immuta.emulator.url,
        E2E_IMMUTA_API_KEY: API_KEY,
        E2E_SOURCES: JSON.stringify(declared),
      },
    }),
  );
  return JSON.parse(result.stdout.trim().split("\n").pop()!) as StepResult;
}

/** Registers the lifecycle's tests, in order, on the file's emulator and step runner. */
export function describeInlineLifecycle(
  immuta: () => TestEmulator,
  step: Step,
  sources: Record<string, Record<string, unknown>> = THREE_SOURCES,
  afterFirstUp?: () => void,
): void {
  const stored = async () => (await immuta().control.store()).dataSources;
  let declared = sources;

  it("up creates the three sources; a second up, a refresh and a preview change nothing", async () => {
    const first = await step("up", declared);
    expect(countOperations(first.operations)).toEqual({ create: 3 });
    expect(count(await immuta().calls(), "POST /native-s3/handler")).toBe(3);
    const created = await stored();
    expect(
      created
        .map(({ name, prefix, deleted }) => ({ name, prefix, deleted }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual([
      { name: "finance", prefix: "s3://acme-finance", deleted: false },
      { name: "marketing", prefix: "s3://acme-marketing/campaigns/2026", deleted: false },
      { name: "research", prefix: "s3://acme-research/raw", deleted: false },
    ]);
    expect(first.outputs.research.dataSourceId).toBe(created.find((s) => s.name === "research")!.id);

    await immuta().clear();
    const second = await step("up", declared);
    expect(countOperations(second.operations)).toEqual({ same: 3 });
    // Summaries count the stack too: the three sources and the stack, all unchanged.
    expect((await step("refresh", declared)).changes).toEqual({ same: 4 });
    expect((await step("preview", declared)).changes).toEqual({ same: 4 });
    expect(count(await immuta().calls(), /^(POST|PUT|DELETE) /)).toBe(0);
  });

  if (afterFirstUp) it("state after the first up", afterFirstUp);

  it("renaming a source replaces it: two DELETEs of the old source before one POST", async () => {
    const before = (await stored()).find((s) => s.name === "research")!;
    const renamed = { ...declared, research: { ...declared.research, dataSourceName: "research-v2" } };
    await immuta().clear();

    const preview = await step("preview", renamed);
    expect(preview.operations.find((o) => o.op === "replace")).toMatchObject({
      name: "research",
      keys: ["dataSourceName"],
    });
    expect(count(await immuta().calls(), /^(POST|PUT|DELETE) /)).toBe(0);

    const up = await step("up", renamed);
    expect(countOperations(up.operations)).toMatchObject({ replace: 1, same: 2 });
    const writes = (await immuta().calls()).filter((call) => /^(POST|DELETE) /.test(call));
    expect(writes).toEqual([
      `DELETE /dataSource/${before.id}`,
      `DELETE /dataSource/${before.id}`,
      "POST /native-s3/handler",
    ]);
    expect((await stored()).map((s) => s.name).sort()).toEqual(["finance", "marketing", "research-v2"]);
    declared = renamed;
  });

  it("destroy sends two DELETEs per source and leaves nothing in Immuta", async () => {
    const before = await stored();
    await immuta().clear();
    const destroyed = await step("destroy", declared);
    expect(countOperations(destroyed.operations)).toEqual({ delete: 3 });
    const calls = await immuta().calls();
    for (const source of before) expect(count(calls, `DELETE /dataSource/${source.id}`)).toBe(2);
    expect(await stored()).toEqual([]);
  });
}
