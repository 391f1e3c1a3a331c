import { ImmutaInvalidResponseError, type ImmutaError } from "../../provider/client";
import { boom, clientFor, rejectionOf, useServer } from "./support";

const server = useServer();

const soft = {
  success: true,
  id: 41,
  name: "research",
  disabled: true,
  hardDelete: false,
  schemaEvolutionId: null,
  handlerDeleteErrorMessage: null,
};
const hard = {
  success: true,
  id: 41,
  name: "research",
  disabled: false,
  hardDelete: true,
  schemaEvolutionId: null,
  handlerDeleteErrorMessage: null,
};
const notFound = { status: 404, json: boom(404, "Not Found", "Data source 41 not found") };

describe("hardDeleteDataSource", () => {
  test("a live source takes exactly two DELETEs: disable, then purge", async () => {
    server()
      .expect("DELETE", "/dataSource/41", { json: soft })
      .expect("DELETE", "/dataSource/41", { json: hard });

    const result = await clientFor(server()).hardDeleteDataSource(41);

    expect(result).toEqual({
      dataSourceId: 41,
      calls: 2,
      alreadyGone: false,
      handlerDeleteErrorMessages: [],
    });
    expect(server().requestsTo("DELETE", "/dataSource/41")).toHaveLength(2);
  });

  test("an already disabled source takes one DELETE", async () => {
    server().expect("DELETE", "/dataSource/41", { json: hard });
    expect(await clientFor(server()).hardDeleteDataSource(41)).toEqual({
      dataSourceId: 41,
      calls: 1,
      alreadyGone: false,
      handlerDeleteErrorMessages: [],
    });
  });

  test("404 on the first DELETE means it was already gone", async () => {
    server().expect("DELETE", "/dataSource/41", notFound);
    expect(await clientFor(server()).hardDeleteDataSource(41)).toEqual({
      dataSourceId: 41,
      calls: 1,
      alreadyGone: true,
      handlerDeleteErrorMessages: [],
    });
  });

  test("404 on the second DELETE means someone else purged it meanwhile: done, not 'already gone'", async () => {
    server().expect("DELETE", "/dataSource/41", { json: soft }).expect("DELETE", "/dataSource/41", notFound);
    expect(await clientFor(server()).hardDeleteDataSource(41)).toMatchObject({
      calls: 2,
      alreadyGone: false,
    });
  });

  test("every handlerDeleteErrorMessage is collected", async () => {
    server()
      .expect("DELETE", "/dataSource/41", {
        json: { ...soft, handlerDeleteErrorMessage: "could not disable S3 grants" },
      })
      .expect("DELETE", "/dataSource/41", {
        json: { ...hard, handlerDeleteErrorMessage: "could not delete handler 7" },
      });

    const result = await clientFor(server()).hardDeleteDataSource(41);

    expect(result.handlerDeleteErrorMessages).toEqual([
      "could not disable S3 grants",
      "could not delete handler 7",
    ]);
  });

  test("never more than two successful DELETEs, even if Immuta never reports hardDelete: true", async () => {
    server()
      .expect("DELETE", "/dataSource/41", { json: soft })
      .expect("DELETE", "/dataSource/41", { json: soft });

    const error = (await rejectionOf(
      clientFor(server()).hardDeleteDataSource(41),
    )) as ImmutaInvalidResponseError;

    expect(error).toBeInstanceOf(ImmutaInvalidResponseError);
    expect(error).toMatchObject({ jsonPath: "/hardDelete", endpoint: "DELETE /dataSource/{dataSourceId}" });
    expect(error.message).toContain("did not report hardDelete: true after 2 successful DELETE calls");
    expect(server().requests).toHaveLength(2);
  });

  test("the documented response shape without hardDelete: disabled: false on the second call means purged", async () => {
    const { hardDelete: _a, ...documentedSoft } = soft;
    const { hardDelete: _b, ...documentedHard } = hard;
    server()
      .expect("DELETE", "/dataSource/41", { json: documentedSoft })
      .expect("DELETE", "/dataSource/41", { json: documentedHard });
    expect(await clientFor(server()).hardDeleteDataSource(41)).toMatchObject({ calls: 2 });
  });

  test("success: false stops the sequence with Immuta's handler message", async () => {
    server().expect("DELETE", "/dataSource/41", {
      json: { ...soft, success: false, handlerDeleteErrorMessage: "handler busy" },
    });
    const error = (await rejectionOf(
      clientFor(server()).hardDeleteDataSource(41),
    )) as ImmutaInvalidResponseError;
    expect(error.jsonPath).toBe("/success");
    expect(error.message).toContain('answered success: false ("handler busy")');
    expect(server().requests).toHaveLength(1);
  });

  test("a DELETE lost on the network is resent: the goal is 'gone' whichever step it lands on", async () => {
    server()
      .expect("DELETE", "/dataSource/41", { fault: "reset" })
      .expect("DELETE", "/dataSource/41", { json: soft })
      .expect("DELETE", "/dataSource/41", { json: hard });

    const result = await clientFor(server(), { retry: { baseDelayMs: 1 } }).hardDeleteDataSource(41);

    expect(result).toMatchObject({ calls: 2, alreadyGone: false });
    expect(server().requests).toHaveLength(3);
  });

  test("403 is raised with the permission hint", async () => {
    server().expect("DELETE", "/dataSource/41", { status: 403, json: boom(403, "Forbidden", "not owner") });
    const error = (await rejectionOf(clientFor(server()).hardDeleteDataSource(41))) as ImmutaError;
    expect(error).toMatchObject({ kind: "forbidden", operation: "hard-delete data source" });
    expect(error.message).toContain("GOVERNANCE");
  });
});
