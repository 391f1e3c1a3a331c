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
 * Deletes the stack's empty checkpoint metadata files, in a `file://` backend; returns the files deleted (none
 * for other backends: they keep no such file).
 */
export async function repairCutMetadataWrite(workspace: Workspace, stackName: string): Promise<string[]> {
  const { url } = await workspace.whoAmI();
  if (!url?.startsWith("file://")) return [];
  const root = fileURLToPath(url.replace(/\?.*$/, ""));
  const project = (await workspace.projectSettings()).name;
  const name = stackName.slice(stackName.lastIndexOf("/") + 1);
  const stacks = path.join(root, ".pulumi", "stacks");
  const candidates = [path.join(stacks, project), stacks].flatMap((folder) =>
    [".json.attrs", ".json.gz.attrs"].map((suffix) => path.join(folder, `${name}${suffix}`)),
  );
  const emptied = candidates.filter((file) => fs.statSync(file, { throwIfNoEntry: false })?.size === 0);
  for (const file of emptied) fs.rmSync(file);
  return emptied;
}
