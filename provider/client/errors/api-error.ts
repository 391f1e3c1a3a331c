import { ImmutaError, type ImmutaErrorDetails } from "./immuta-error";

/** Immuta (or a proxy in front of it) answered with an HTTP error status. */
export class ImmutaApiError extends ImmutaError {
  static {
    Object.defineProperty(this.prototype, "name", {
      value: "ImmutaApiError",
      writable: true,
      configurable: true,
    });
  }

  declare readonly status: number;

  constructor(message: string, details: ImmutaErrorDetails & { status: number }) {
    super(message, details);
  }
}
