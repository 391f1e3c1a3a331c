export { ImmutaClient } from "./immuta-client";
export { handlerIdFromDataSource } from "./data-source";
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
export { realClock } from "./clock";
export { resolveConnection, type ResolvedConnection, type SettingName, type SettingNamer } from "./options";
export * as defaults from "./defaults";
export type * from "./types";
