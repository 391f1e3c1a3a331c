import { startTestEmulator, type BoomBody, type TagBody, type TestEmulator } from "./helpers/emulator";

const CREATOR_KEY = "creator-key-without-governance";
const VIEWER_KEY = "viewer-key-without-permissions";

interface CurrentUserBody {
  id: number;
  userid: string;
  profile: { id: number; name: string };
  permissions: string[];
}

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    users: [
      { name: "creator", apiKey: CREATOR_KEY, permissions: ["CREATE_S3_DATASOURCE"] },
      { name: "viewer", apiKey: VIEWER_KEY, permissions: [] },
    ],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.control.reset());

const currentUser = (auth?: string | null) =>
  emulator.call<CurrentUserBody & BoomBody>("GET", "/bim/rpc/user/current", { auth });

test("answers the key's user: ids in order of configuration from 1, its name and global permissions", async () => {
  const answers = [await currentUser(), await currentUser(CREATOR_KEY), await currentUser(VIEWER_KEY)];
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
  expect(answers[0].body).toMatchObject({
    id: 1,
    userid: "demo",
    profile: { id: 1, name: "demo" },
    permissions: ["CREATE_S3_DATASOURCE", "GOVERNANCE"],
  });
  expect(answers[1].body).toMatchObject({
    id: 2,
    userid: "creator",
    profile: { id: 2, name: "creator" },
    permissions: ["CREATE_S3_DATASOURCE"],
  });
  expect(answers[2].body).toMatchObject({ id: 3, userid: "viewer", permissions: [] });
});

test("a bearer token exchanged for the key names the same user; ids survive a reset", async () => {
  const exchanged = await emulator.call<{ token: string }>("POST", "/bim/apikey/authenticate", {
    auth: CREATOR_KEY,
  });
  await emulator.control.reset();
  const response = await currentUser(`Bearer ${exchanged.body.token}`);
  expect([response.status, response.body.id, response.body.userid]).toEqual([200, 2, "creator"]);
});

test("the user id is the addedBy of the tags the user attaches", async () => {
  const { id } = await emulator.control.seedDataSource({
    name: "research",
    prefix: "s3://research-bucket",
    owner: "creator",
  });
  const tagged = await emulator.call<TagBody[]>("POST", `/tag/datasource/${id}`, {
    auth: CREATOR_KEY,
    body: [{ name: "Finance.PII" }],
  });
  const me = (await currentUser(CREATOR_KEY)).body;
  expect(tagged.body[0].addedBy).toBe(me.id);
  expect(tagged.body[0].addedBy).toBe(me.profile.id);
});

test("without a valid credential it is a 401 like any authenticated route", async () => {
  expect((await currentUser(null)).body).toEqual({
    statusCode: 401,
    error: "Unauthorized",
    message: "Missing authentication",
  });
  expect((await currentUser("not-a-key")).status).toBe(401);
});

test("currentUser absent: an unknown route (404 before authentication); served brings it back", async () => {
  await emulator.control.setModes({ currentUser: "absent" });
  for (const auth of [undefined, null]) {
    expect((await currentUser(auth)).body).toEqual({
      statusCode: 404,
      error: "Not Found",
      message: "Not Found",
    });
  }
  await emulator.control.setModes({ currentUser: "served" });
  expect((await currentUser()).status).toBe(200);
});

test("requests are logged and faulted like every other route", async () => {
  await emulator.control.setFaults([
    { path: "/bim/rpc/user/current", kind: "status", status: 503, times: 1 },
  ]);
  expect((await currentUser(VIEWER_KEY)).status).toBe(503);
  expect((await currentUser(VIEWER_KEY)).status).toBe(200);
  expect(
    (await emulator.control.requests()).map(({ path, status, user, fault }) => [path, status, user, fault]),
  ).toEqual([
    ["/bim/rpc/user/current", 503, undefined, "status"],
    ["/bim/rpc/user/current", 200, "viewer", undefined],
  ]);
});
