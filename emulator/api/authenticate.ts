import { unauthorized } from "../boom";
import type { RouteSpec } from "../context";
import { jsonResponse } from "../http-io";
import { validateAuthenticateBody, validated } from "../schemas";

/**
 * `POST /bim/apikey/authenticate`: exchanges an API key for a bearer token (docs/immuta-api.md, "Authenticate").
 * The key may come in the Authorization header (current docs) or as JSON `{ "apikey": ... }` (older docs);
 * the header wins when both are present.
 */
export const authenticate: RouteSpec = {
  auth: false,
  body: true,
  mutates: false,
  handle(request, emulator) {
    const body = request.body === undefined ? {} : validated(validateAuthenticateBody, request.body);
    const apiKey = request.headers.authorization?.trim() || body.apikey;
    if (!apiKey) throw unauthorized("Missing authentication");
    const user = emulator.auth.userForApiKey(apiKey);
    if (!user) throw unauthorized("Invalid API key");
    request.user = user;
    return jsonResponse({ authenticated: true, token: emulator.auth.issueToken(user) });
  },
};
