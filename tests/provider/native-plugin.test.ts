/**
 * The native plugin (pulumi-resource-immuta) over real gRPC on loopback, called the way Pulumi's engine calls a
 * resource plugin, against the emulator over real HTTP: what Immuta receives, what the engine gets back.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startPlugin, type RunningPlugin } from "../../provider/native/main";
import { NATIVE_TYPE_TOKEN as RESOURCE_TOKEN } from "../../provider/core/resource-kind";
import {
  emptyProto,
  grpc,
  providerProto as pb,
  providerServices,
  statusProto,
  structProto,
  type GrpcModule,
} from "../../provider/native/rpc-modules";
import { UNKNOWN_VALUE } from "../../provider/core/constants";
import { API_KEY, FAST_RETRY, rejectionOf, useHarness } from "./support";

type Props = Record<string, unknown>;
type Client = InstanceType<typeof providerServices.ResourceProviderClient>;

const URN = `urn:pulumi:dev::proj::${RESOURCE_TOKEN}::research`;
const struct = (value: Props) => structProto.Struct.fromJavaScript(value as never);

/** One unary call as a promise; a failure keeps its gRPC code and metadata. */
function unary<Request, Response>(client: Client, method: string, request: Request): Promise<Response> {
  return new Promise((resolve, reject) => {
    const fn = (
      client as unknown as Record<string, (r: Request, cb: (e: unknown, v: Response) => void) => void>
    )[method];
    fn.call(client, request, (error, response) => (error ? reject(error as Error) : resolve(response)));
  });
}

describe("pulumi-resource-immuta over gRPC", () => {
  const harness = useHarness();
  let plugin: RunningPlugin;
  let client: Client;

  beforeEach(async () => {
    // No IMMUTA_* variables: the connection must come from Configure, as the engine sends it.
    plugin = await startPlugin([], { env: {}, clientOptions: FAST_RETRY });
    client = new providerServices.ResourceProviderClient(
      `127.0.0.1:${plugin.port}`,
      grpc.credentials.createInsecure(),
    );
  });
  afterEach(async () => {
    client.close();
    await plugin.stop();
  });

  async function configure(variables: Record<string, string> = {}) {
    const request = new pb.ConfigureRequest();
    const map = request.getVariablesMap();
    map.set("immuta:config:url", harness.emulator.url);
    map.set("immuta:config:apiKey", API_KEY);
    for (const [key, value] of Object.entries(variables)) map.set(key, value);
    return unary<typeof request, InstanceType<typeof pb.ConfigureResponse>>(client, "configure", request);
  }

  async function check(news: Props, olds: Props = {}) {
    const request = new pb.CheckRequest().setUrn(URN).setType(RESOURCE_TOKEN).setName("research");
    request.setNews(struct(news)).setOlds(struct(olds));
    const response = await unary<typeof request, InstanceType<typeof pb.CheckResponse>>(
      client,
      "check",
      request,
    );
    return {
      inputs: response.getInputs()?.toJavaScript() as Props,
      failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async function create(inputs: Props, preview = false) {
    const request = new pb.CreateRequest().setUrn(URN).setType(RESOURCE_TOKEN).setName("research");
    request.setProperties(struct(inputs)).setPreview(preview);
    const response = await unary<typeof request, InstanceType<typeof pb.CreateResponse>>(
      client,
      "create",
      request,
    );
    return { id: response.getId(), outs: response.getProperties()?.toJavaScript() as Props };
  }

  async function read(id: string, properties?: Props) {
    const request = new pb.ReadRequest().setUrn(URN).setType(RESOURCE_TOKEN).setId(id);
    if (properties) request.setProperties(struct(properties));
    const response = await unary<typeof request, InstanceType<typeof pb.ReadResponse>>(
      client,
      "read",
      request,
    );
    return {
      id: response.getId(),
      props: response.getProperties()?.toJavaScript() as Props | undefined,
      inputs: response.getInputs()?.toJavaScript() as Props | undefined,
    };
  }

  async function diff(id: string, olds: Props, news: Props) {
    const request = new pb.DiffRequest().setUrn(URN).setType(RESOURCE_TOKEN).setId(id);
    request.setOlds(struct(olds)).setNews(struct(news));
    const response = await unary<typeof request, InstanceType<typeof pb.DiffResponse>>(
      client,
      "diff",
      request,
    );
    return {
      changes: response.getChanges(),
      replaces: response.getReplacesList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
      changed: response.getDiffsList(),
    };
  }

  async function remove(id: string, properties: Props) {
    const request = new pb.DeleteRequest().setUrn(URN).setType(RESOURCE_TOKEN).setId(id);
    request.setProperties(struct(properties));
    await unary(client, "delete", request);
  }

  const declaration = { integrationId: 1, prefix: "s3://acme-research/raw/", dataSourceName: "research" };

  it("reports the package version, its schema, and that it accepts no secrets", async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as {
      version: string;
    };
    const info = await unary<unknown, { getVersion(): string }>(
      client,
      "getPluginInfo",
      new emptyProto.Empty(),
    );
    expect(info.getVersion()).toBe(version);

    const schemaResponse = await unary<unknown, { getSchema(): string }>(
      client,
      "getSchema",
      new pb.GetSchemaRequest(),
    );
    const schema = JSON.parse(schemaResponse.getSchema()) as {
      name: string;
      version: string;
      resources: Props;
    };
    expect(schema).toMatchObject({ name: "immuta", version });
    expect(Object.keys(schema.resources)).toEqual([RESOURCE_TOKEN]);

    const handshake = await unary<unknown, InstanceType<typeof pb.ProviderHandshakeResponse>>(
      client,
      "handshake",
      new pb.ProviderHandshakeRequest(),
    );
    expect(handshake.getAcceptSecrets()).toBe(false);
    expect(handshake.getAcceptResources()).toBe(false);
    const configured = await configure();
    expect(configured.getAcceptsecrets()).toBe(false);
    expect(configured.getSupportspreview()).toBe(true);
  });

  it("checks, creates, reads, diffs and deletes through Immuta's API with the configured connection", async () => {
    await configure();
    const checked = await check(declaration);
    expect(checked.failures).toEqual([]);
    // Defaults stay out of the checked inputs the engine stores; the outputs carry them.
    expect(checked.inputs).toEqual({ ...declaration, prefix: "s3://acme-research/raw" });

    const { id, outs } = await create(checked.inputs);
    const [stored] = await harness.sources();
    expect(await harness.requests()).toEqual([
      "GET /integrations/1",
      "POST /native-s3/handler",
      `GET /dataSource/${stored.id}`,
    ]);
    expect(id).toBe(String(stored.id));
    expect(outs).toMatchObject({
      dataSourceId: stored.id,
      handlerId: stored.handlerId,
      immutaName: "research",
    });
    expect(outs).not.toHaveProperty("__provider");

    expect(await diff(id, outs, checked.inputs)).toEqual({
      changes: pb.DiffResponse.DiffChanges.DIFF_NONE,
      replaces: [],
      deleteBeforeReplace: false,
      changed: [],
    });
    expect(await diff(id, outs, { ...checked.inputs, prefix: "s3://acme-research/other" })).toEqual({
      changes: pb.DiffResponse.DiffChanges.DIFF_SOME,
      replaces: ["prefix"],
      deleteBeforeReplace: true,
      changed: ["prefix"],
    });

    const refreshed = await read(id, outs);
    expect(refreshed).toEqual({ id, props: outs, inputs: checked.inputs });

    await harness.control.clearRequests();
    await remove(id, outs);
    expect(await harness.requests()).toEqual([`DELETE /dataSource/${id}`, `DELETE /dataSource/${id}`]);
    expect(await harness.sources()).toEqual([]);
    // Gone: an empty answer, and the engine drops the resource from state.
    expect(await read(id, outs)).toEqual({ id: "", props: undefined, inputs: undefined });
  });

  it("imports by id alone: the state and the inputs Immuta's source stands for", async () => {
    await configure();
    const { id, outs } = await create((await check(declaration)).inputs);
    await harness.control.clearRequests();

    const imported = await read(id);

    expect(imported.id).toBe(id);
    expect(imported.props).toEqual(outs);
    expect(imported.inputs).toEqual({
      integrationId: 1,
      prefix: "s3://acme-research/raw",
      dataSourceName: "research",
    });
    expect(imported.props).toMatchObject({ tenant: "default", disabled: false });
    expect((await harness.requests()).every((request) => request.startsWith("GET "))).toBe(true);
  });

  it("previews a create without calling Immuta: the provider's outputs are unknown", async () => {
    await configure();
    const { id, outs } = await create((await check(declaration)).inputs, true);
    expect(id).toBe("");
    const unknown = UNKNOWN_VALUE;
    expect(outs).toEqual({
      integrationId: 1,
      prefix: "s3://acme-research/raw",
      dataSourceName: "research",
      tenant: "default",
      disabled: unknown,
      ...{ dataSourceId: unknown, handlerId: unknown, immutaName: unknown, appliedName: unknown },
      ...{ otherTags: unknown, awsLocationPath: unknown, status: unknown, schemaVersion: unknown },
    });
    expect(await harness.requests()).toEqual([]);
  });

  it("passes preview's unknown values through check, and names invalid properties", async () => {
    await configure();
    expect((await check({ ...declaration, prefix: UNKNOWN_VALUE })).failures).toEqual([]);
    const { failures } = await check({ ...declaration, integrationId: 0, prefix: "https://x" });
    expect(failures.map((failure) => failure.property).sort()).toEqual(["integrationId", "prefix"]);
  });

  it("reads tenants, prefixForm and integrations from Configure's variables", async () => {
    // Immuta refuses relative prefixes here and hides its integrations: only the configured settings work.
    await harness.control.setModes({ prefixForm: "absolute", integrationsApi: "forbidden" });
    const staging = {
      url: harness.emulator.url,
      apiKey: API_KEY,
      prefixForm: "absolute",
      integrations: { "1": { awsLocationPath: "s3://acme-research/" } },
    };
    await configure({ "immuta:config:tenants": JSON.stringify({ staging }) });

    const { outs } = await create((await check({ ...declaration, tenant: "staging" })).inputs);

    expect(outs).toMatchObject({ tenant: "staging", awsLocationPath: "s3://acme-research" });
    expect((await harness.sources()).map((source) => source.prefix)).toEqual(["s3://acme-research/raw"]);
  });

  it("refuses a secret value rather than passing it to Immuta", async () => {
    await configure();
    const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "x" };
    const error = await rejectionOf(check({ ...declaration, dataSourceName: secret }));
    expect(error.message).toContain("input dataSourceName arrived as a secret");
    expect(await harness.requests()).toEqual([]);
  });

  it("fails an operation naming the resource and Immuta's answer, never the key", async () => {
    await configure({ "immuta:config:apiKey": "wrong-key-31f9" });
    const error = await rejectionOf(create((await check(declaration)).inputs));
    expect(error.message).toMatch(
      /Creating data source "research" \(s3:\/\/acme-research\/raw\) failed: .*401/,
    );
    expect(error.message).not.toContain("wrong-key-31f9");
  });

  it("says what is missing when Configure gave no URL", async () => {
    const request = new pb.ConfigureRequest();
    await unary(client, "configure", request);
    const error = await rejectionOf(create((await check(declaration)).inputs));
    expect(error.message).toContain("The Immuta URL is not configured");
  });

  it("keeps a source created before a later step failed: ErrorResourceInitFailed with id and state", async () => {
    await configure();
    const inputs = (await check(declaration)).inputs;
    await harness.control.setFaults([
      { method: "GET", path: "/dataSource/*", kind: "status", status: 500, times: 5 },
    ]);
    const error = (await rejectionOf(create(inputs))) as unknown as Error & {
      metadata: GrpcModule.Metadata;
    };
    const [stored] = await harness.sources();
    const [details] = error.metadata.get("grpc-status-details-bin") as Buffer[];
    const status = statusProto.Status.deserializeBinary(details);
    const [packed] = status.getDetailsList();
    expect(packed.getTypeName()).toBe("pulumirpc.ErrorResourceInitFailed");
    const detail = pb.ErrorResourceInitFailed.deserializeBinary(packed.getValue_asU8());
    expect(detail.getId()).toBe(String(stored.id));
    expect(detail.getProperties()?.toJavaScript()).toMatchObject({
      dataSourceId: stored.id,
      prefix: "s3://acme-research/raw",
    });
    expect(detail.getReasonsList()[0]).toContain("was created in Immuta, but reading it back failed");
  });

  it("refuses new operations after Cancel, without calling Immuta", async () => {
    await configure();
    const inputs = (await check(declaration)).inputs;
    await unary(client, "cancel", new emptyProto.Empty());
    const error = await rejectionOf(create(inputs));
    expect(error.message).toContain("cancelled");
    expect(await harness.requests()).toEqual([]);
  });

  it("answers Invoke and Construct with Unimplemented, naming the plugin", async () => {
    const error = (await rejectionOf(unary(client, "invoke", new pb.InvokeRequest()))) as unknown as Error & {
      code: number;
    };
    expect(error.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(error.message).toContain("pulumi-resource-immuta does not implement Invoke");
  });
});
