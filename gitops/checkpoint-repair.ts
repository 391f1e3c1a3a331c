/**
 * The damage a kill can do to a file backend's checkpoint: when `pulumi` dies between writing the checkpoint and
 * writing its metadata file (`<stack>.json.attrs`, kept beside it by the storage library), the metadata file is
 * left empty, and every command then fails with `failed to load checkpoint: EOF` although the checkpoint itself is
 * whole. Deleting the empty metadata file heals it (the file only holds the checkpoint's content type).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { Workspace } from "@pulumi/pulumi/automation";

/** Whether a command failed because of a checkpoint metadata file cut by a kill. */
export const isCutMetadataWrite = (output: string): boolean => /failed to load checkpoint: EOF/.test(output);

/**
 * How long an empty metadata file must stay empty and untouched to be the kill's: a run that is writing its
 * checkpoint right now leaves the file empty for an instant only, and recover must never delete its file.
 */
export const CUT_FILE_SETTLE_MS = 1_000;

/**
 * Deletes the stack's empty checkpoint metadata files, in a `file://` backend; returns the files deleted (none
 * for other backends: they keep no such file, nor when every empty file was being written).
 */
export async function repairCutMetadataWrite(
  workspace: Workspace,
  stackName: string,
  settleMs = CUT_FILE_SETTLE_MS,
): Promise<string[]> {
  const { url } = await workspace.whoAmI();
  if (!url?.startsWith("file://")) return [];
  const root = fileURLToPath(url.replace(/\?.*$/, ""));
  const project = (await workspace.projectSettings()).name;
  const name = stackName.slice(stackName.lastIndexOf("/") + 1);
  const stacks = path.join(root, ".pulumi", "stacks");
  const candidates = [path.join(stacks, project), stacks].flatMap((folder) =>
    [".json.attrs", ".json.gz.attrs"].map((suffix) => path.join(folder, `${name}${suffix}`)),
  );
  const stat = (file: string) => fs.statSync(file, { throwIfNoEntry: false });
  const emptyNow = candidates.flatMap((file) => {
    const seen = stat(file);
    return seen?.size === 0 ? [{ file, modifiedMs: seen.mtimeMs }] : [];
  });
  if (emptyNow.length === 0) return [];
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const emptied = emptyNow
    .filter(({ file, modifiedMs }) => {
      const now = stat(file);
      return now?.size === 0 && now.mtimeMs === modifiedMs;
    })
    .map(({ file }) => file);
  for (const file of emptied) fs.rmSync(file);
  return emptied;
}
