/**
 * The `immuta:*` settings of a stack, for `export --stack`: the same stack config the provider reads.
 */
import type { ConfigSource } from "../../provider/api";
import { openWorkspace, stackConfig, type StackLocation } from "../../cli/stack";

export async function exportStackConfig(location: StackLocation): Promise<ConfigSource> {
  return stackConfig(await openWorkspace(location), location.stackName);
}
