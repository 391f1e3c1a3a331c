/**
 * Messages for the person running Pulumi: retries, and which source of facts the provider relied on. They go
 * through the engine's `Log` service, so `pulumi up` shows them as diagnostics. The dynamic-provider host does not
 * pass resource URNs to the provider, so a message names its resource in its text.
 */
import { fromPulumi, loadGrpc } from "./grpc";

export interface EngineLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Logs nowhere: for providers created outside the engine (tests, scripts). */
export const silentLog: EngineLog = { info() {}, warn() {} };

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
function connect(address: string): { client: LogClient; request: () => LogRequest } {
  const grpc = loadGrpc();
  const services = fromPulumi<{ EngineClient: new (address: string, credentials: unknown) => LogClient }>(
    "./proto/engine_grpc_pb",
  );
  const messages = fromPulumi<{ LogRequest: new () => LogRequest }>("./proto/engine_pb");
  const client = new services.EngineClient(address, grpc.credentials.createInsecure());
  return { client, request: () => new messages.LogRequest() };
}

/** A log that writes to the engine at `address`; it connects on first use. */
export function engineLog(address: string): EngineLog {
  let connection: ReturnType<typeof connect> | undefined;
  const send = (severity: number, message: string) => {
    // A lost log line must never fail or delay an operation: the engine may be gone, or its modules missing.
    try {
      connection ??= connect(address);
      const entry = connection.request();
      entry.setSeverity(severity);
      entry.setMessage(message);
      connection.client.log(entry, () => undefined);
    } catch {
      // nothing to report to: the log is the reporting channel
    }
  };
  return { info: (message) => send(INFO, message), warn: (message) => send(WARNING, message) };
}
