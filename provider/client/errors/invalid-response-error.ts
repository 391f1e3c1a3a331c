import { ImmutaError, type ImmutaErrorDetails, type ImmutaErrorJson } from "./immuta-error";

/** A response did not match its schema or was not JSON at all. */
export class ImmutaInvalidResponseError extends ImmutaError {
  static {
    Object.defineProperty(this.prototype, "name", {
      value: "ImmutaInvalidResponseError",
      writable: true,
      configurable: true,
    });
  }

  declare readonly kind: "invalid-response";
  /** Endpoint template, e.g. `POST /native-s3/handler`. */
  readonly endpoint: string;
  /** JSON pointer of the first problem, e.g. `/dataSourceId`; `""` for the whole body. */
  readonly jsonPath: string;

  constructor(
    message: string,
    details: Omit<ImmutaErrorDetails, "kind"> & { endpoint: string; jsonPath: string },
  ) {
    super(message, { ...details, kind: "invalid-response" });
    this.endpoint = details.endpoint;
    this.jsonPath = details.jsonPath;
  }

  override toJSON(): ImmutaErrorJson {
    return { ...super.toJSON(), endpoint: this.endpoint, jsonPath: this.jsonPath };
  }
}
