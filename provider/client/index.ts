export { ImmutaClient } from "./immuta-client";
export { handlerIdFromDataSource } from "./data-source";
export { NATIVE_S3_INTEGRATION_TYPE, realClock } from "./defaults";
export { extractImmutaMessage, statusLine } from "./error-message";
export {
  ImmutaApiError,
  ImmutaError,
  ImmutaInvalidResponseError,
  ImmutaNetworkError,
  ImmutaTimeoutError,
  isNotFound,
  messageOf,
  type ImmutaErrorJson,
  type ImmutaErrorKind,
} from "./errors";
export {
  isLoopbackHost,
  resolveConnection,
  type ResolvedConnection,
  type SettingName,
  type SettingNamer,
} from "./options";
export { SecretScrubber } from "./redact";
export { isTlsFailure } from "./retry-decision";
export { HttpTransport, type HttpOutcome } from "./transport";
export * as defaults from "./defaults";
export type * from "./types";
