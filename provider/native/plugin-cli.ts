/**
 * `pulumi-immuta-plugin`: commands around the native plugin for people who do not run it from npm's bin.
 *
 *   pulumi-immuta-plugin bundle <folder>   writes a self-contained plugin folder, then:
 *   pulumi plugin install resource immuta <version> --file <folder>
 */
import { bundlePlugin } from "./bundle";
import { packageVersion } from "./package-files";

const USAGE = `Usage: pulumi-immuta-plugin bundle <folder>

Writes pulumi-resource-immuta ${packageVersion()} with everything it needs (but Node.js >= 20) into <folder>, for
  pulumi plugin install resource immuta ${packageVersion()} --file <folder>
`;

export function run(args: readonly string[]): number {
  const [command, folder, ...rest] = args;
  if (command !== "bundle" || !folder || rest.length > 0) {
    process.stderr.write(USAGE);
    return command === "--help" || command === "-h" ? 0 : 2;
  }
  const copied = bundlePlugin(folder);
  process.stdout.write(
    `Wrote the plugin into ${folder} (${copied.length} packages). Install it with:\n` +
      `  pulumi plugin install resource immuta ${packageVersion()} --file ${folder}\n`,
  );
  return 0;
}
