import { declaration, useHarness, rejectionOf } from "../support";

describe.each(["honour", "generate"] as const)("%s", (names) => {
  const harness = useHarness({ names });
  it("lookup fails", async () => {
    const inputs = await harness.engine.check(declaration("lost"));
    await harness.control.setFaults([
      { method: "POST", path: "/native-s3/handler", kind: "process-then-drop", times: 1 },
      { method: "GET", kind: "status", status: 500 },
    ]);
    const e = await rejectionOf(harness.engine.create(inputs));
    console.log(e.message, await harness.requests());
    await harness.control.clearFaults();
    const e2 = await rejectionOf(harness.engine.create(inputs));
    console.log(e2.message);
  });
});
