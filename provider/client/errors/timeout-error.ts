import { ImmutaError, type ImmutaErrorDetails, type ImmutaErrorJson } from "./immuta-error";

/** A request exceeded `requestTimeoutMs` (`timeout`) or a method call its `operationDeadlineMs` (`deadline`). */
export class ImmutaTimeoutError extends ImmutaError {
  static {
    Object.defineProperty(this.prototype, "name", {
      value: "ImmutaTimeoutError",
      writable: true,
      configurable: true,
    });
  }

  declare readonly kind: "timeout" | "deadline";
  /** The limit that was hit (ms). */
  readonly limitMs: number;

  constructor(
    message: string,
    details: Omit<ImmutaErrorDetails, "kind"> & { kind: "timeout" | "deadline"; limitMs: number },
  ) {
    super(message, details);
    this.limitMs = details.limitMs;
  }

  override toJSON(): ImmutaErrorJson {
    return { ...super.toJSON(), limitMs: this.limitMs };
  }
}
