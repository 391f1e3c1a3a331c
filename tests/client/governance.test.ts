/**
 * The governance endpoints: tags, description and the key's user, each sending exactly the documented request
 * and reading Immuta's answer in either documented shape.
 */
import { ImmutaError, isNotFound } from "../../provider/client";
import { boom, clientFor, dataSourceBody, rejectionOf, useServer } from "./support";

const server = useServer();

const tag = (name: string, source = "curated") => ({ name, source, addedBy: 2, deleted: false });

describe("tags", () => {
  test("tagDataSource posts the names as curated tags and returns the source's tags after the call", async () => {
    server().expect("POST", "/tag/datasource/41", {
      json: [tag("Finance.PII"), tag("Discovered.Email", "sdd")],
    });
    const tags = await clientFor(server()).tagDataSource(41, ["Finance.PII"]);
    expect(server().requests[0]?.json).toEqual([{ name: "Finance.PII", source: "curated" }]);
    expect(tags.map((t) => [t.name, t.source])).toEqual([
      ["Finance.PII", "curated"],
      ["Discovered.Email", "sdd"],
    ]);
  });

  test("a tag list wrapped as { tags } is read like a bare array", async () => {
    server().expect("GET", "/dataSource/41/tags", { json: { tags: [tag("Team.Research")], count: 1 } });
    expect((await clientFor(server()).getDataSourceTags(41)).map((t) => t.name)).toEqual(["Team.Research"]);
  });

  test("attaching tags is resent after a dropped connection: attaching a tag twice changes nothing", async () => {
    server().expect("POST", "/tag/datasource/41", { fault: "reset" });
    server().expect("POST", "/tag/datasource/41", { json: [tag("Finance.PII")] });
    const tags = await clientFor(server()).tagDataSource(41, ["Finance.PII"]);
    expect(tags.map((t) => t.name)).toEqual(["Finance.PII"]);
    expect(server().requests).toHaveLength(2);
  });

  test("an unknown tag is a bad request whose hint says to create it in the tag library or fix its spelling", async () => {
    server().expect("POST", "/tag/datasource/41", {
      status: 400,
      json: boom(400, "Bad Request", 'Tag "Finance.Secrett" does not exist in the tag library'),
    });
    const error = (await rejectionOf(
      clientFor(server()).tagDataSource(41, ["Finance.Secrett"]),
    )) as ImmutaError;
    expect(error.kind).toBe("bad-request");
    expect(error.immutaMessage).toBe('Tag "Finance.Secrett" does not exist in the tag library');
    expect(error.message).toMatch(/tag library \(create it there, or fix its spelling\)/);
  });

  test("untagDataSource deletes one tag by its dotted name; a tag already gone answers false", async () => {
    server().expect("DELETE", "/tag/datasource/41/Finance.PII", { json: [] });
    server().expect("DELETE", "/tag/datasource/41/Team.Research", {
      status: 404,
      json: boom(404, "Not Found", 'Tag "Team.Research" is not on data source 41'),
    });
    const client = clientFor(server());
    expect(await client.untagDataSource(41, "Finance.PII")).toBe(true);
    expect(await client.untagDataSource(41, "Team.Research")).toBe(false);
  });

  test("a data source's tags and description are read from GET /dataSource/{id}; null means unset", async () => {
    server().expect("GET", "/dataSource/41", {
      json: dataSourceBody({ tags: [tag("Finance.PII")], description: null }),
    });
    server().expect("GET", "/dataSource/42", {
      json: dataSourceBody({ id: 42, description: "Raw research data" }),
    });
    const client = clientFor(server());
    const tagged = await client.getDataSource(41);
    expect(tagged.tags?.map((t) => t.name)).toEqual(["Finance.PII"]);
    expect(tagged.description).toBeUndefined();
    expect((await client.getDataSource(42)).description).toBe("Raw research data");
  });
});

test("describeDataSource sends a partial PUT with the description only", async () => {
  server().expect("PUT", "/dataSource/41", { json: dataSourceBody({ description: "Ledger exports" }) });
  const updated = await clientFor(server()).describeDataSource(41, "Ledger exports");
  expect(server().requests[0]?.json).toEqual({ description: "Ledger exports" });
  expect(updated.description).toBe("Ledger exports");
});

test("getCurrentUser reads the key's user and its permissions; 404 when the endpoint is unavailable", async () => {
  server().expect("GET", "/bim/rpc/user/current", {
    json: { id: 2, userid: "ci", profile: { id: 2, name: "ci" }, permissions: ["CREATE_S3_DATASOURCE"] },
  });
  server().expect("GET", "/bim/rpc/user/current", { status: 404, json: boom(404, "Not Found", "Not Found") });
  const client = clientFor(server());
  expect((await client.getCurrentUser()).permissions).toEqual(["CREATE_S3_DATASOURCE"]);
  expect(isNotFound(await rejectionOf(client.getCurrentUser()))).toBe(true);
});
