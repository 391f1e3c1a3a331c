import { STATUS_CODES } from "node:http";

/** The `validation` member hapi adds to 400s: where the bad input was and which keys. */
export interface BoomValidation {
  source: "payload" | "params" | "query" | "headers";
  keys: string[];
}

/** hapi's error envelope; Immuta's V1 API is a hapi app. */
export interface BoomEnvelope {
  statusCode: number;
  error: string;
  message: string;
  validation?: BoomValidation;
}

/** An error that becomes a Boom envelope on the wire. Thrown by handlers, caught by the server. */
export class BoomError extends Error {
  override readonly name = "BoomError";

  constructor(
    readonly statusCode: number,
    message: string,
    readonly validation?: BoomValidation,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toEnvelope(): BoomEnvelope {
    return boomEnvelope(this.statusCode, this.message, this.validation);
  }
}

export function boomEnvelope(statusCode: number, message: string, validation?: BoomValidation): BoomEnvelope {
  const envelope: BoomEnvelope = { statusCode, error: STATUS_CODES[statusCode] ?? "Unknown", message };
  if (validation) envelope.validation = validation;
  return envelope;
}

export const badRequest = (message: string, validation?: BoomValidation): BoomError =>
  new BoomError(400, message, validation);
export const unauthorized = (message: string): BoomError => new BoomError(401, message);
export const forbidden = (message: string): BoomError => new BoomError(403, message);
export const notFound = (message = "Not Found"): BoomError => new BoomError(404, message);
export const conflict = (message: string): BoomError => new BoomError(409, message);
export const unprocessable = (message: string): BoomError => new BoomError(422, message);
