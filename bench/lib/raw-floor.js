"use strict";
/**
 * Floor (b), the raw API floor: the requests our provider sends for N resources, issued by the API client alone
 * (no engine, no gRPC, no provider) with the engine's concurrency — P operations at once, each made of the same
 * calls as ours:
 *   up      createS3DataSource (POST) then getDataSource (GET), as `create`;
 *   refresh getDataSource and getHandler concurrently, as `read`;
 *   destroy hardDeleteDataSource (DELETE, DELETE), as `delete`.
 * The client's in-flight limit is set to 2·P so that it never binds: this is the floor, what the API itself costs.
 */
// Only the provider's public entry (`pulumi-immuta/provider`): its `client` namespace is the API client.
const { client } = require("../../dist/provider");

const { ImmutaClient, handlerIdFromDataSource } = client;

/** Runs `task(i)` for i < n with at most `parallel` at once. */
async function pool(n, parallel, task) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, parallel) }, worker));
}

class RawFloor {
  constructor({ url, apiKey, parallel }) {
    this.parallel = parallel;
    this.client = new ImmutaClient({
      url: url,
      apiKey,
      allowInsecureHttp: true,
      maxInFlight: 2 * parallel,
      userAgent: "pulumi-immuta-bench",
    });
    this.sources = [];
  }

  async up(n, namePrefix = "raw") {
    const sources = new Array(n);
    await pool(n, this.parallel, async (i) => {
      const created = await this.client.createS3DataSource({
        integrationId: 1,
        dataSourceName: `${namePrefix}-${i}`,
        // Immuta's documented wire form, relative to the integration's awsLocationPath (s3:// in the bench).
        prefix: `bench-bucket/raw/${namePrefix}-${i}`,
      });
      const dataSource = await this.client.getDataSource(created.dataSourceId);
      sources[i] = { id: dataSource.id, handlerId: handlerIdFromDataSource(dataSource) ?? dataSource.id };
    });
    this.sources = sources;
  }

  async refresh() {
    await pool(this.sources.length, this.parallel, async (i) => {
      const { id, handlerId } = this.sources[i];
      await Promise.all([this.client.getDataSource(id), this.client.getHandler(handlerId)]);
    });
  }

  async destroy() {
    await pool(this.sources.length, this.parallel, async (i) => {
      await this.client.hardDeleteDataSource(this.sources[i].id);
    });
    this.sources = [];
  }

  close() {
    this.client.close();
  }
}

module.exports = { RawFloor, pool };
