/**
 * The API client the checks use: the provider's client with the tenant's settings, and one attempt per request, so
 * that a check reports what one request saw and how long it took.
 */
import { ImmutaClient, ImmutaError, statusLine, type AuthMode, type TenantConnection } from "../provider/api";
import { DOCTOR_USER_AGENT } from "./defaults";

export function doctorClient(connection: TenantConnection, authMode: AuthMode): ImmutaClient {
  return new ImmutaClient({
    ...connection.settings,
    // The PEM text: a path was read once, when the connection was resolved.
    caBundle: connection.resolved.caBundle,
    authMode,
    retry: { maxAttempts: 1 },
    userAgent: DOCTOR_USER_AGENT,
  });
}

/** `GET /dataSource/7 answered HTTP 404 Not Found: Data source 7 not found`, or the error's own message. */
export function briefly(error: unknown): string {
  if (error instanceof ImmutaError && error.status !== undefined) {
    const path = error.path.split("?")[0];
    const said = error.immutaMessage === undefined ? "" : `: ${error.immutaMessage}`;
    return `${error.method} ${path} answered ${statusLine(error.status)}${said}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function kindOf(error: unknown): string | undefined {
  return error instanceof ImmutaError ? error.kind : undefined;
}

/** Milliseconds since `startedAt`. */
export function since(startedAt: number): number {
  return Date.now() - startedAt;
}
