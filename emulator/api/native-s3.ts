import { requirePermission } from "../auth";
import { badRequest, notFound, unprocessable } from "../boom";
import { userOf, type RouteSpec } from "../context";
import { generatedDataSourceName } from "../data-source-name";
import { jsonResponse } from "../http-io";
import { resolveRequestedPrefix } from "../prefix-form";
import { createdDataSourceBody, handlerBody } from "../representations";
import { idParam } from "../router";
import { validateCreateNativeS3Body, validated } from "../schemas";
import type { NewDataSource } from "../store";

/** `POST /native-s3/handler`: creates one or more S3 data sources. */
export const createNativeS3DataSources: RouteSpec = {
  auth: true,
  body: true,
  mutates: true,
  handle(request, emulator) {
    const user = userOf(request);
    requirePermission(user, "CREATE_S3_DATASOURCE", "create an S3 data source");
    const body = validated(validateCreateNativeS3Body, request.body);
    const integration = emulator.store.getIntegration(body.integrationId);
    // DECISION: an unknown integrationId is a 422 (the body is well-formed but names nothing), not a 404 that a
    // client could mistake for a missing endpoint; it comes before prefix errors, as a relative prefix is read
    // against the integration's location.
    if (!integration) throw unprocessable(`Integration ${body.integrationId} does not exist`);
    const requested = body.dataSources.map((item, index): NewDataSource => {
      const resolved = resolveRequestedPrefix(
        item.prefix,
        integration.awsLocationPath,
        emulator.modes.prefixForm,
        emulator.modes.keySegments,
      );
      if (!resolved.ok) {
        throw badRequest(`Invalid prefix: ${resolved.reason}`, {
          source: "payload",
          keys: [`dataSources.${index}.prefix`],
        });
      }
      // DECISION (mode names): `generate` renames like Immuta's example; `honour` keeps the requested name.
      const name =
        emulator.modes.names === "generate"
          ? generatedDataSourceName(resolved.prefix, integration)
          : item.dataSourceName;
      return { name, prefix: resolved.prefix, integrationId: body.integrationId, owner: user.name };
    });
    const created = emulator.store
      .create(requested, emulator.modes.handlerIds)
      .map((source) => createdDataSourceBody(source, integration, emulator.modes));
    // DECISION (mode multiSourceResponse): one source gives an object (as documented); several give an array in
    // request order, or only the first object in `first` mode.
    const single = created.length === 1 || emulator.modes.multiSourceResponse === "first";
    return jsonResponse(single ? created[0] : created);
  },
};

/** `GET /native-s3/handler/{handlerId}`: the handler metadata. */
// DECISION: a soft-deleted source keeps its handler (200) until it is purged (404). Only authentication is needed,
// whatever the visibility mode, so a client can tell a hidden source from a purged one.
export const getNativeS3Handler: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  handle(request, emulator) {
    const handlerId = idParam(request.params, "handlerId");
    const source = emulator.store.getByHandlerId(handlerId);
    if (!source) throw notFound(`Handler ${handlerId} not found`);
    const integration = emulator.store.getIntegration(source.integrationId);
    return jsonResponse(handlerBody(source, integration, emulator.modes));
  },
};
