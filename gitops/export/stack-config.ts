/**
 * The `immuta:*` settings of a stack, for `export --stack`: the same stack config the provider reads, decrypted by
 * the Pulumi CLI (`pulumi config --show-secrets`), so an export needs no credential the stack does not already have.
 */
import { type ConfigSource } from "../../provider/api";
import { selectStack, type StackLocation } from "../workspace";

export async function stackConfig(location: StackLocation): Promise<ConfigSource> {
  const stack = await selectStack(location);
  const all = await stack.getAllConfig();
  return { get: (key) => all[key]?.value };
}
