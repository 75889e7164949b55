import { describe, expect, it } from "vitest";
import { setupChecklist, type SetupFacts } from "./checklist";

const fresh: SetupFacts = {
  activeWriteKeys: 0,
  usedWriteKeys: 0,
  accounts: 0,
  hasEvents: false,
  eventTypes: 0,
  weightedEventTypes: 0,
  configVersion: 0,
  activeUsers: 1,
  renewalOutcomes: 0,
};

const done = (f: SetupFacts) => Object.fromEntries(setupChecklist(f).steps.map((s) => [s.id, s.done]));

describe("setupChecklist", () => {
  it("starts with nothing done on a new installation, data first", () => {
    const list = setupChecklist(fresh);
    expect(done(fresh)).toEqual({ data: false, weights: false, team: false, outcomes: false });
    expect(list).toMatchObject({ done: 0, required: 3, complete: false, next: "data" });
    expect(list.steps.map((s) => s.status)).toEqual([
      "No data yet.",
      "No event types yet: they arrive with your events, or add them by hand.",
      "Only you so far.",
      "None yet.",
    ]);
    expect(list.steps[0]?.actions.map((a) => a.href)).toEqual(["/admin/keys", "/admin/import"]);
  });

  it("counts data as in only when events reached an account", () => {
    expect(setupChecklist({ ...fresh, activeWriteKeys: 2 }).steps[0]?.status).toBe("2 write keys, nothing received yet.");
    expect(done({ ...fresh, activeWriteKeys: 1, usedWriteKeys: 1 }).data).toBe(false);
    expect(setupChecklist({ ...fresh, accounts: 3 }).steps[0]?.status).toBe("3 accounts, no events yet: send or import events.");
    const withData = { ...fresh, accounts: 1, hasEvents: true, eventTypes: 4 };
    expect(done(withData).data).toBe(true);
    expect(setupChecklist(withData).steps[0]?.status).toBe("1 account with events.");
    expect(setupChecklist(withData).next).toBe("weights");
  });

  it("counts weights as set only when a weighted configuration is in force", () => {
    const base = { ...fresh, accounts: 10, hasEvents: true, eventTypes: 4 };
    expect(setupChecklist(base).steps[1]?.status).toBe("4 event types, none weighted yet: every score is 0.");
    expect(done({ ...base, weightedEventTypes: 2 }).weights).toBe(false);
    expect(setupChecklist({ ...base, weightedEventTypes: 2 }).steps[1]?.status).toBe("2 event types weighted, not saved yet.");
    const saved = { ...base, weightedEventTypes: 2, configVersion: 1 };
    expect(done(saved).weights).toBe(true);
    expect(setupChecklist(saved).steps[1]?.status).toBe("2 of 4 event types weighted.");
  });

  it("is complete when the three required steps are done; outcomes stay optional", () => {
    const all = { ...fresh, accounts: 10, hasEvents: true, eventTypes: 4, weightedEventTypes: 4, configVersion: 2, activeUsers: 3 };
    expect(setupChecklist(all)).toMatchObject({ done: 3, required: 3, complete: true, next: "outcomes" });
    expect(setupChecklist({ ...all, renewalOutcomes: 12 })).toMatchObject({ complete: true, next: null });
    expect(setupChecklist({ ...all, activeUsers: 1 })).toMatchObject({ done: 2, complete: false, next: "team" });
  });
});
