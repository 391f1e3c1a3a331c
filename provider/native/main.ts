/**
 * The plugin process: serves the provider on a loopback port and prints the port, as the Pulumi engine expects of
 * every resource plugin. Started by the engine with its own address as the first argument (after any logging
 * flags), or by hand without one, for the engine to attach to (`PULUMI_DEBUG_PROVIDERS=immuta:<port>`).
 */
import { engineAddressIn } from "../runtime/engine-address";
import { engineLog, silentLog, type EngineLog } from "../runtime/engine-log";
import type { EngineWatch } from "../runtime/engine-watch";
import { endWithEngine } from "../runtime/lifetime";
import { ProviderOperations } from "../runtime/operation-drain";
import { createProvider } from "../resource-provider";
import { packageSchema } from "./package-schema";
import { packageVersion } from "./package-files";
import { grpc } from "./rpc-modules";
import { providerService, resourceProviderService } from "./server";

/** Pulumi's engine sends state of large stacks in one message: allow what its own servers allow. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export interface RunningPlugin {
  port: number;
  stop(): Promise<void>;
}

export interface PluginOptions extends Omit<Parameters<typeof createProvider>[0] & object, "log"> {
  /**
   * Called when the engine that started the plugin is gone and the operations running then have finished (or had
   * their time); the executable exits.
   */
  onEngineGone?: () => void;
}

/** Starts the server; `env` and client options are for tests, the engine runs it with the process's own. */
export async function startPlugin(
  args: readonly string[],
  options: PluginOptions = {},
): Promise<RunningPlugin> {
  const { onEngineGone, ...overrides } = options;
  const address = engineAddressIn(args);
  let log: EngineLog = address ? engineLog(address) : silentLog;
  let watch: EngineWatch | undefined;
  // As in the dynamic-provider host: once the engine is gone no operation starts, running ones may finish.
  const operations = new ProviderOperations();
  const watchFrom = (engineAddress: string) => {
    if (onEngineGone && !watch) watch = endWithEngine(engineAddress, operations, onEngineGone);
  };
  if (address) watchFrom(address);
  // The engine's address may come later (Handshake, Attach): messages go wherever it is known by then.
  const provider = createProvider({
    ...overrides,
    operations,
    log: { info: (message) => log.info(message), warn: (message) => log.warn(message) },
  });
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  server.addService(
    resourceProviderService,
    providerService({
      provider,
      version: packageVersion(),
      schema: packageSchema(),
      onEngineAddress(engineAddress) {
        if (log === silentLog) log = engineLog(engineAddress);
        watchFrom(engineAddress);
      },
    }),
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    port,
    async stop() {
      watch?.stop();
      provider.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}

/** The executable's entry (bin/pulumi-resource-immuta). */
export async function main(args: readonly string[]): Promise<void> {
  const plugin = await startPlugin(args, {
    onEngineGone: () => {
      process.stderr.write("pulumi-resource-immuta: the Pulumi engine is gone; exiting\n");
      process.exit(1);
    },
  });
  // The engine reads the port from the first line of stdout; nothing else may be written there.
  process.stdout.write(`${plugin.port}\n`);
}
