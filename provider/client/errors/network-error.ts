import { ImmutaError, type ImmutaErrorDetails, type ImmutaErrorJson } from "./immuta-error";

/** The connection failed: refused, reset, dropped, DNS or TLS failure. */
export class ImmutaNetworkError extends ImmutaError {
  static {
    Object.defineProperty(this.prototype, "name", {
      value: "ImmutaNetworkError",
      writable: true,
      configurable: true,
    });
  }

  declare readonly kind: "network";
  /** System error code, e.g. `ECONNREFUSED`, `ECONNRESET`, `CERT_HAS_EXPIRED`. */
  readonly code: string;

  constructor(message: string, details: Omit<ImmutaErrorDetails, "kind"> & { code: string }) {
    super(message, { ...details, kind: "network" });
    this.code = details.code;
  }

  override toJSON(): ImmutaErrorJson {
    return { ...super.toJSON(), code: this.code };
  }
}
