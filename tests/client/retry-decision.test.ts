import { decideRetry, type AttemptFailure } from "../../provider/client/retry-decision";

const status = (code: number): AttemptFailure => ({ type: "response", status: code });
const network = (code: string): AttemptFailure => ({ type: "network", code });

describe("idempotent requests (GET, PUT, hard-delete DELETE)", () => {
  test.each([
    [status(429), true],
    [status(502), true],
    [status(503), true],
    [status(504), true],
    [network("ECONNRESET"), true],
    [network("ECONNREFUSED"), true],
    [network("EPIPE"), true],
    [{ type: "timeout" } satisfies AttemptFailure, true],
    [status(500), false],
    [status(400), false],
    [status(401), false],
    [status(404), false],
    [status(409), false],
    [network("CERT_HAS_EXPIRED"), false],
    [network("DEPTH_ZERO_SELF_SIGNED_CERT"), false],
    [network("ERR_TLS_CERT_ALTNAME_INVALID"), false],
  ])("%j -> retry %s, never ambiguous", (failure, retry) => {
    expect(decideRetry(failure, true)).toEqual({ retry, ambiguous: false });
  });
});

describe("non-idempotent requests (POST create, single DELETE)", () => {
  test.each([
    [status(429), { retry: true, ambiguous: false }],
    [status(503), { retry: true, ambiguous: false }],
    [network("ECONNREFUSED"), { retry: true, ambiguous: false }],
    [network("ENOTFOUND"), { retry: true, ambiguous: false }],
    [network("EAI_AGAIN"), { retry: true, ambiguous: false }],
    [network("ECONNRESET"), { retry: false, ambiguous: true }],
    [network("EPIPE"), { retry: false, ambiguous: true }],
    [network("EHOSTUNREACH"), { retry: false, ambiguous: true }],
    [{ type: "timeout" } satisfies AttemptFailure, { retry: false, ambiguous: true }],
    [status(500), { retry: false, ambiguous: true }],
    [status(502), { retry: false, ambiguous: true }],
    [status(504), { retry: false, ambiguous: true }],
    [status(400), { retry: false, ambiguous: false }],
    [status(409), { retry: false, ambiguous: false }],
    [network("UNABLE_TO_VERIFY_LEAF_SIGNATURE"), { retry: false, ambiguous: false }],
  ])("%j -> %j", (failure, decision) => {
    expect(decideRetry(failure, false)).toEqual(decision);
  });
});
