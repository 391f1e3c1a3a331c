/**
 * This process as Pulumi's Node.js dynamic-provider host runs it: one provider for every `ImmutaS3DataSource`,
 * its messages in the engine's log, and an end once the engine that started it is gone.
 */
import { dynamicHostEngineAddress } from "../runtime/engine-address";
import { engineLog, silentLog, type EngineLog } from "../runtime/engine-log";
import type { EngineWatch } from "../runtime/engine-watch";
import { endWithEngine } from "../runtime/lifetime";
import { ProviderOperations } from "../runtime/operation-drain";
import { createProvider, type ImmutaResourceProvider } from "../resource-provider";
import { dynamicProvider } from "./provider";

/**
 * Ends this process once the Pulumi engine that started it is gone, when it is Pulumi's dynamic-provider host
 * (undefined in tests and scripts, which are not started by an engine).
 */
export function watchDynamicHost(
  operations: ProviderOperations,
  argv: readonly string[] = process.argv,
  exit: () => void = () => process.exit(0),
): EngineWatch | undefined {
  const address = dynamicHostEngineAddress(argv);
  return address === undefined ? undefined : endWithEngine(address, operations, exit);
}

/** The engine's log when this process is the dynamic-provider host, else a silent one. */
function hostLog(): EngineLog {
  const address = dynamicHostEngineAddress();
  return address === undefined ? silentLog : engineLog(address);
}

const operations = new ProviderOperations();

/** The provider every `ImmutaS3DataSource` uses, created once per provider process. */
export const provider: ImmutaResourceProvider = dynamicProvider(
  createProvider({ operations, log: hostLog() }),
);

export const engineWatch = watchDynamicHost(operations);
