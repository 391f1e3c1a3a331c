import { forbidden, notFound } from "../boom";
import { userOf, type RouteSpec } from "../context";
import { jsonResponse } from "../http-io";
import { integrationBody } from "../representations";

/**
 * `GET /integrations/{id}` of Immuta's integrations API, whose ids are strings (`"1"`). Mode `integrationsApi`:
 * `served` answers, `forbidden` refuses (403), `absent` makes it an unknown route (404 before authentication).
 */
// DECISION: when served, any authenticated user may read an integration: a client needs the awsLocationPath to
// write relative prefixes, and the key that registers sources usually holds CREATE_S3_DATASOURCE only. A tenant
// that reserves the endpoint to APPLICATION_ADMIN, as Immuta's integrations pages state, is the `forbidden` mode.
// DECISION: the id must be the exact decimal string of a configured integration (`01`, `abc` are 404s, not 400s).
export const getIntegration: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  available: (emulator) => emulator.modes.integrationsApi !== "absent",
  handle(request, emulator) {
    const user = userOf(request);
    const raw = request.params.id;
    if (emulator.modes.integrationsApi === "forbidden") {
      throw forbidden(`User ${user.name} needs the APPLICATION_ADMIN permission to read integration ${raw}`);
    }
    const integration = /^[1-9]\d{0,15}$/.test(raw) ? emulator.store.getIntegration(Number(raw)) : undefined;
    if (!integration) throw notFound(`Integration ${raw} not found`);
    return jsonResponse(integrationBody(integration));
  },
};
