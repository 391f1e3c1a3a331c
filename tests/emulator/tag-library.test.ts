import { startEmulator } from "../../emulator";
import { startTestEmulator, type BoomBody, type TagBody, type TestEmulator } from "./helpers/emulator";

const CREATOR_KEY = "creator-key-without-governance";
const GOVERNOR_KEY = "governor-key-only-governance";
const GOVERNOR_ID = 3;

const DEFAULT_LIBRARY = [
  "Discovered",
  "Discovered.Email",
  "Discovered.PII",
  "Finance",
  "Finance.PII",
  "Finance.Public",
  "Sensitivity",
  "Sensitivity.Confidential",
  "Sensitivity.Internal",
  "Sensitivity.Public",
  "Team",
  "Team.Marketing",
  "Team.Research",
];

interface LibraryTagBody {
  name: string;
  source: string;
  deleted: boolean;
  systemCreated: boolean;
  createdBy: number;
}

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    users: [
      { name: "creator", apiKey: CREATOR_KEY, permissions: ["CREATE_S3_DATASOURCE"] },
      { name: "governor", apiKey: GOVERNOR_KEY, permissions: ["GOVERNANCE"] },
    ],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

const createTags = (body: unknown, auth?: string) =>
  emulator.call<LibraryTagBody[]>("POST", "/tag", { auth, body });

async function attachOne(name: string): Promise<number> {
  const { id } = await emulator.control.seedDataSource({ name: "research", prefix: "s3://research-bucket" });
  return (await emulator.call("POST", `/tag/datasource/${id}`, { body: [{ name }] })).status;
}

test("the default library: four hierarchies of leaf tags, roots included", async () => {
  expect(await emulator.control.tagLibrary()).toEqual(DEFAULT_LIBRARY);
});

describe("POST /tag", () => {
  test("GOVERNANCE creates tags with their ancestors and answers those created; they can then be attached", async () => {
    const response = await createTags(
      { tags: [{ name: "Legal.Contracts.Signed" }, { name: "Finance.Budget" }] },
      GOVERNOR_KEY,
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual(
      ["Legal", "Legal.Contracts", "Legal.Contracts.Signed", "Finance.Budget"].map((name) => ({
        name,
        source: "curated",
        deleted: false,
        systemCreated: false,
        createdBy: GOVERNOR_ID,
      })),
    );
    expect(await emulator.control.tagLibrary()).toEqual(
      [...DEFAULT_LIBRARY, "Legal", "Legal.Contracts", "Legal.Contracts.Signed", "Finance.Budget"].sort(),
    );
    expect(await attachOne("Legal.Contracts.Signed")).toBe(200);
  });

  test("without rootTag, tags that exist already are left alone and not answered", async () => {
    const response = await createTags({ tags: [{ name: "Finance.PII" }, { name: "Finance.Payroll" }] });
    expect(response.body.map((tag) => tag.name)).toEqual(["Finance.Payroll"]);
  });

  test("a rootTag that exists is a 400 saying the tags overlap with existing hierarchies; nothing is created", async () => {
    const response = await emulator.call<BoomBody>("POST", "/tag", {
      body: { tags: [{ name: "Finance.Payroll" }], rootTag: { name: "Finance", deleteHierarchy: false } },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain("overlap with existing hierarchies");
    expect(await emulator.control.tagLibrary()).toEqual(DEFAULT_LIBRARY);

    const fresh = await createTags({ tags: [{ name: "Legal.Contracts" }], rootTag: { name: "Legal" } });
    expect(fresh.body.map((tag) => tag.name)).toEqual(["Legal", "Legal.Contracts"]);
  });

  test("a tag outside the rootTag is a 400 naming it", async () => {
    const response = await emulator.call<BoomBody>("POST", "/tag", {
      body: { tags: [{ name: "Legal.Contracts" }, { name: "Finance.Payroll" }], rootTag: { name: "Legal" } },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('Tag "Finance.Payroll" is not under the root tag "Legal"');
    expect(response.body.validation).toEqual({ source: "payload", keys: ["tags.1.name"] });
    expect(await emulator.control.tagLibrary()).toEqual(DEFAULT_LIBRARY);
  });

  test("creating tags needs GOVERNANCE (403 naming it)", async () => {
    const response = await emulator.call<BoomBody>("POST", "/tag", {
      auth: CREATOR_KEY,
      body: { tags: [{ name: "Legal" }] },
    });
    expect(response.status).toBe(403);
    expect(response.body.message).toBe("User creator needs the GOVERNANCE permission to create tags");
    expect(await emulator.control.tagLibrary()).toEqual(DEFAULT_LIBRARY);
  });

  test.each([
    ["no tags", {}, "tags"],
    ["an empty list", { tags: [] }, "tags"],
    ["an empty level", { tags: [{ name: "Legal..Contracts" }] }, "tags.0.name"],
    ["a trailing dot", { tags: [{ name: "Legal." }] }, "tags.0.name"],
    ["a control character", { tags: [{ name: "Legal\u0007" }] }, "tags.0.name"],
    ["a rootTag without name", { tags: [{ name: "Legal" }], rootTag: {} }, "rootTag.name"],
  ])("%s is a 400 naming the key", async (_case, body, key) => {
    const response = await emulator.call<BoomBody>("POST", "/tag", { body });
    expect(response.status).toBe(400);
    expect(response.body.validation).toEqual({ source: "payload", keys: [key] });
  });
});

describe("the library through the control API", () => {
  test("add and remove tags: removing one removes its descendants and keeps its ancestors", async () => {
    const added = await emulator.control.addLibraryTags(["Legal.Contracts.Signed"]);
    expect(added).toEqual([...DEFAULT_LIBRARY, "Legal", "Legal.Contracts", "Legal.Contracts.Signed"].sort());
    const removed = await emulator.control.removeLibraryTag("Legal.Contracts");
    expect(removed).toEqual([...DEFAULT_LIBRARY, "Legal"].sort());
    expect(await emulator.control.tagLibrary()).toEqual(removed);

    // Team loses both its children and is a leaf now: attachable.
    await emulator.control.removeLibraryTag("Team.Research");
    await emulator.control.removeLibraryTag("Team.Marketing");
    expect(await attachOne("Team")).toBe(200);
    await expect(emulator.control.removeLibraryTag("Team.Research")).rejects.toMatchObject({
      status: 404,
      serverMessage: 'Tag "Team.Research" does not exist in the tag library',
    });
  });

  test("a tag removed from the library stays on the sources that carry it, and can no longer be attached", async () => {
    const { id } = await emulator.control.seedDataSource({
      name: "research",
      prefix: "s3://research-bucket",
      tags: [{ name: "Finance.PII" }],
    });
    await emulator.control.removeLibraryTag("Finance.PII");
    expect(
      (await emulator.call<TagBody[]>("GET", `/dataSource/${id}/tags`)).body.map((tag) => tag.name),
    ).toEqual(["Finance.PII"]);
    const again = await emulator.call<BoomBody>("POST", `/tag/datasource/${id}`, {
      body: [{ name: "Finance.PII" }],
    });
    expect([again.status, again.body.message]).toEqual([
      400,
      'Tag "Finance.PII" does not exist in the tag library',
    ]);
  });

  test("names are checked: an empty level or an empty list is a 400", async () => {
    await expect(emulator.control.addLibraryTags(["Legal..X"])).rejects.toMatchObject({ status: 400 });
    await expect(emulator.control.addLibraryTags([])).rejects.toMatchObject({ status: 400 });
  });

  test("reset restores the configured library", async () => {
    await emulator.control.addLibraryTags(["Legal"]);
    await emulator.control.removeLibraryTag("Finance");
    await emulator.control.reset();
    expect(await emulator.control.tagLibrary()).toEqual(DEFAULT_LIBRARY);
  });
});

describe("the tagLibrary start option", () => {
  test("replaces the default library, for good: reset returns to it", async () => {
    const custom = await startTestEmulator({ tagLibrary: ["Region.EU", "Region.US", "Public"] });
    try {
      expect(await custom.control.tagLibrary()).toEqual(["Public", "Region", "Region.EU", "Region.US"]);
      const { id } = await custom.control.seedDataSource({ name: "x", prefix: "s3://x-bucket" });
      const refused = await custom.call<BoomBody>("POST", `/tag/datasource/${id}`, {
        body: [{ name: "Finance.PII" }],
      });
      expect(refused.status).toBe(400);
      expect(
        (await custom.call("POST", `/tag/datasource/${id}`, { body: [{ name: "Region.EU" }] })).status,
      ).toBe(200);
      await custom.control.addLibraryTags(["Other"]);
      await custom.control.reset();
      expect(await custom.control.tagLibrary()).toEqual(["Public", "Region", "Region.EU", "Region.US"]);
    } finally {
      await custom.close();
    }
  });

  test("a name that is not a tag name stops the start", async () => {
    await expect(startEmulator({ tagLibrary: ["Finance..PII"] })).rejects.toThrow(
      '"Finance..PII" is not a tag name',
    );
  });
});
