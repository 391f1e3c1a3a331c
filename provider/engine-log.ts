/**
 * Messages for the person running Pulumi: retries, and which source of facts the provider relied on. They go
 * through the engine's `Log` service, so `pulumi up` shows them as diagnostics. The dynamic-provider host does not
 * pass resource URNs to the provider, so a message names its resource in its text.
 */
import { loadGrpc } from "./engine-rpc";

export interface EngineLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Logs nowhere: for providers created outside the engine (tests, scripts). */
export const silentLog: EngineLog = { info() {}, warn() {} };

/** The engine's address when this process is Pulumi's dynamic-provider host (its first argument). */
export function engineAddressOf(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  const address = argv[2] ?? "";
  const isHost = /[\\/]cmd[\\/]dynamic-provider([\\/]index\.js)?$/.test(script);
  return isHost && /^[\w.-]+:\d+$|^\[[0-9a-f:]+\]:\d+$/i.test(address) ? address : undefined;
}

interface LogClient {
  log(request: LogRequest, callback: (error: unknown) => void): void;
}

interface LogRequest {
  setSeverity(severity: number): void;
  setMessage(message: string): void;
}

/** Severities of `pulumirpc.LogSeverity`. */
const INFO = 1;
const WARNING = 2;

/** The engine's `Log` client, built from the gRPC modules `@pulumi/pulumi` ships (a peer dependency). */
async function connect(address: string): Promise<{ client: LogClient; request: () => LogRequest }> {
  const grpc = await loadGrpc();
  const services = (await import("@pulumi/pulumi/proto/engine_grpc_pb")) as unknown as {
    EngineClient: new (address: string, credentials: unknown) => LogClient;
  };
  const messages = (await import("@pulumi/pulumi/proto/engine_pb")) as unknown as {
    LogRequest: new () => LogRequest;
  };
  const client = new services.EngineClient(address, grpc.credentials.createInsecure());
  return { client, request: () => new messages.LogRequest() };
}

/** A log that writes to the engine at `address`; it connects on first use. */
export function engineLog(address: string): EngineLog {
  let connection: ReturnType<typeof connect> | undefined;
  const send = (severity: number, message: string) => {
    connection ??= connect(address);
    // A lost log line must never fail or delay an operation: the engine may be gone, or its modules missing.
    connection.then(
      ({ client, request }) => {
        const entry = request();
        entry.setSeverity(severity);
        entry.setMessage(message);
        client.log(entry, () => undefined);
      },
      () => undefined,
    );
  };
  return { info: (message) => send(INFO, message), warn: (message) => send(WARNING, message) };
}

/** The engine's log when this process runs under the engine, else a silent one. */
export function processEngineLog(): EngineLog {
  const address = engineAddressOf();
  return address ? engineLog(address) : silentLog;
}
