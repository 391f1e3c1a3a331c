import { userOf, type RouteSpec } from "../context";
import { jsonResponse } from "../http-io";
import { currentUserBody } from "../representations";

/**
 * `GET /bim/rpc/user/current`: who the credential belongs to and what it may do. Mode `currentUser`: `served`
 * answers, `absent` makes it an unknown route (404 before authentication), as on a tenant or proxy without it.
 */
export const getCurrentUser: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  available: (emulator) => emulator.modes.currentUser === "served",
  handle(request) {
    return jsonResponse(currentUserBody(userOf(request)));
  },
};
