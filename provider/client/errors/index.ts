export {
  ImmutaError,
  isConflict,
  isNotFound,
  type ImmutaErrorDetails,
  type ImmutaErrorJson,
  type ImmutaErrorKind,
} from "./immuta-error";
export { ImmutaApiError } from "./api-error";
export { ImmutaNetworkError } from "./network-error";
export { ImmutaTimeoutError } from "./timeout-error";
export { ImmutaInvalidResponseError } from "./invalid-response-error";
