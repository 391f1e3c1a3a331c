import { requirePermission } from "../auth";
import { badRequest, notFound } from "../boom";
import { userOf, type RouteSpec } from "../context";
import { generatedDataSourceName } from "../data-source-name";
import { jsonResponse } from "../http-io";
import { createdDataSourceBody, handlerBody } from "../representations";
import { idParam } from "../router";
import { parseS3Prefix } from "../s3-prefix";
import { validateCreateNativeS3Body, validated } from "../schemas";
import type { NewDataSource } from "../store";

/** `POST /native-s3/handler`: creates one or more S3 data sources (SEED). */
export const createNativeS3DataSources: RouteSpec = {
  auth: true,
  body: true,
  mutates: true,
  handle(request, emulator) {
    const user = userOf(request);
    requirePermission(user, "CREATE_S3_DATASOURCE", "create an S3 data source");
    const body = validated(validateCreateNativeS3Body, request.body);
    const integration = emulator.store.getIntegration(body.integrationId);
    const requested = body.dataSources.map((item, index): NewDataSource => {
      const parsed = parseS3Prefix(item.prefix);
      if (!parsed.ok) {
        throw badRequest(`Invalid prefix: ${parsed.reason}`, {
          source: "payload",
          keys: [`dataSources.${index}.prefix`],
        });
      }
      // DECISION (mode names): `generate` renames like the seed example; `honour` keeps the requested name.
      const name =
        emulator.modes.names === "generate" && integration
          ? generatedDataSourceName(parsed.prefix, integration)
          : item.dataSourceName;
      return { name, prefix: parsed.prefix, integrationId: body.integrationId, owner: user.name };
    });
    const created = emulator.store.create(requested, emulator.modes.handlerIds).map(createdDataSourceBody);
    // DECISION (mode multiSourceResponse): one source gives an object (SEED); several give an array in request
    // order, or only the first object in `first` mode.
    const single = created.length === 1 || emulator.modes.multiSourceResponse === "first";
    return jsonResponse(single ? created[0] : created);
  },
};

/** `GET /native-s3/handler/{handlerId}`: the handler metadata (SEED). */
// DECISION: a soft-deleted source keeps its handler (200) until it is purged (404).
export const getNativeS3Handler: RouteSpec = {
  auth: true,
  body: false,
  mutates: false,
  handle(request, emulator) {
    const handlerId = idParam(request.params, "handlerId");
    const source = emulator.store.getByHandlerId(handlerId);
    if (!source) throw notFound(`Handler ${handlerId} not found`);
    return jsonResponse(handlerBody(source, emulator.store.getIntegration(source.integrationId)));
  },
};
