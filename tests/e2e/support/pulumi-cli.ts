/**
 * The real Pulumi CLI for end-to-end tests: provisioned by scripts/provision-pulumi.sh (built from Go modules
 * when missing, cached afterwards), never downloaded.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

export const REPO_ROOT = path.resolve(__dirname, "../../..");

let binDir: string | undefined;

/** Directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`. */
export function pulumiBinDir(): string {
  if (!binDir) {
    const output = execFileSync("bash", [path.join(REPO_ROOT, "scripts/provision-pulumi.sh")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    binDir = output.trim().split("\n").pop()!;
  }
  return binDir;
}

export function pulumiCommand(): Promise<PulumiCommand> {
  return PulumiCommand.get({ root: path.dirname(pulumiBinDir()), skipVersionCheck: false });
}
