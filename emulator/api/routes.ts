import type { RouteSpec } from "../context";
import { Router } from "../router";
import { authenticate } from "./authenticate";
import {
  deleteDataSource,
  getDataSource,
  getDataSourceByName,
  searchDataSources,
  updateDataSource,
} from "./data-sources";
import { getIntegration } from "./integrations";
import { createNativeS3DataSources, getNativeS3Handler } from "./native-s3";
import { attachTags, createTags, getDataSourceTags, removeTag } from "./tags";
import { getCurrentUser } from "./users";

/** The emulated Immuta V1 API. */
export function immutaApiRouter(): Router<RouteSpec> {
  return (
    new Router<RouteSpec>()
      .add("POST", "/bim/apikey/authenticate", authenticate)
      .add("GET", "/bim/rpc/user/current", getCurrentUser)
      .add("POST", "/native-s3/handler", createNativeS3DataSources)
      .add("GET", "/native-s3/handler/{handlerId}", getNativeS3Handler)
      .add("GET", "/dataSource", searchDataSources)
      // DECISION: the name takes the rest of the path, so a name with an unencoded `/` still resolves.
      .add("GET", "/dataSource/name/{name*}", getDataSourceByName)
      .add("GET", "/dataSource/{id}", getDataSource)
      .add("PUT", "/dataSource/{id}", updateDataSource)
      .add("DELETE", "/dataSource/{id}", deleteDataSource)
      // Added after the by-name route, which wins for `/dataSource/name/tags` (a source named "tags").
      .add("GET", "/dataSource/{id}/tags", getDataSourceTags)
      .add("POST", "/tag", createTags)
      // The model type is lowercase `datasource`, as in Immuta's path.
      .add("POST", "/tag/datasource/{dataSourceId}", attachTags)
      .add("DELETE", "/tag/datasource/{dataSourceId}/{tagName}", removeTag)
      .add("GET", "/integrations/{id}", getIntegration)
  );
}
