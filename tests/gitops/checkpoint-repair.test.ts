/**
 * The empty checkpoint metadata file a kill can leave in a file backend is deleted, and only that: a file a running
 * `pulumi` is rewriting at that instant is left alone.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Workspace } from "@pulumi/pulumi/automation";
import { repairCutMetadataWrite } from "../../gitops/checkpoint-repair";

let backend: string;
let attrs: string;
beforeEach(() => {
  backend = fs.mkdtempSync(path.join(os.tmpdir(), "checkpoint-repair-"));
  const stacks = path.join(backend, ".pulumi", "stacks", "proj");
  fs.mkdirSync(stacks, { recursive: true });
  fs.writeFileSync(path.join(stacks, "dev.json"), "{}");
  attrs = path.join(stacks, "dev.json.attrs");
});
afterEach(() => fs.rmSync(backend, { recursive: true, force: true }));

/** The two things the repair asks of a workspace: where the backend is, and the project's name. */
const workspaceAt = (url: string) =>
  ({
    whoAmI: () => Promise.resolve({ user: "me", url }),
    projectSettings: () => Promise.resolve({ name: "proj", runtime: "nodejs" }),
  }) as unknown as Workspace;

it("deletes a metadata file that stays empty", async () => {
  fs.writeFileSync(attrs, "");
  const repaired = await repairCutMetadataWrite(workspaceAt(pathToFileURL(backend).href), "dev", 200);
  expect(repaired).toEqual([attrs]);
  expect(fs.existsSync(attrs)).toBe(false);
});

it("keeps a metadata file that a running pulumi writes while it is looked at", async () => {
  fs.writeFileSync(attrs, "");
  const writer = setTimeout(() => fs.writeFileSync(attrs, '{"user.content-type":"application/json"}'), 50);
  const repaired = await repairCutMetadataWrite(workspaceAt(pathToFileURL(backend).href), "dev", 300);
  clearTimeout(writer);
  expect(repaired).toEqual([]);
  expect(fs.readFileSync(attrs, "utf8")).toContain("content-type");
});

it("leaves whole metadata files, and other backends, alone", async () => {
  fs.writeFileSync(attrs, '{"user.content-type":"application/json"}');
  expect(await repairCutMetadataWrite(workspaceAt(pathToFileURL(backend).href), "dev", 10)).toEqual([]);
  fs.writeFileSync(attrs, "");
  expect(await repairCutMetadataWrite(workspaceAt("https://api.pulumi.com"), "dev", 10)).toEqual([]);
  expect(fs.existsSync(attrs)).toBe(true);
});
