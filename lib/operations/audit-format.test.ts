import { describe, expect, it } from "vitest";
import { auditActionLabel, describeAuditEntry } from "./audit-format";

describe("audit entries for people", () => {
  it("labels known and unknown actions", () => {
    expect(auditActionLabel("user.role_change")).toBe("Role changed");
    expect(auditActionLabel("weights.save")).toBe("Weights save");
    expect(auditActionLabel("key.revoke")).toBe("Key revoke");
  });

  it("describes event name decisions", () => {
    expect(
      describeAuditEntry({
        action: "event_type.map",
        target: "event_type:9",
        details: { from: { key: "webinar_registrations", label: "Webinar registrations" }, to: { key: "webinar_registered", label: "Webinar registration" }, events: 4, waitingEvents: 0, occurrences: 4, accounts: 1 },
      }),
    ).toBe("“Webinar registrations” → Webinar registration: 4 events moved, 1 account rescored");
    expect(describeAuditEntry({ action: "event_type.keep", target: "event_type:3", details: { key: "reprot", label: "Reprot" } })).toBe("“Reprot” kept as an event type of its own");
    expect(auditActionLabel("event_type.map")).toBe("Event name mapped");
  });

  it("describes user changes", () => {
    expect(
      describeAuditEntry({ action: "user.create", target: "user:1", details: { name: "Ann", email: "ann@x.com", role: "manager", accountManagerName: "Alice Moreau" } }),
    ).toBe("Ann (ann@x.com) as manager, book Alice Moreau");
    expect(describeAuditEntry({ action: "user.create", target: "user:1", details: { name: "Ann", email: "ann@x.com", role: "admin", firstAdmin: true } })).toBe(
      "Ann (ann@x.com) as admin, the first administrator",
    );
    expect(describeAuditEntry({ action: "user.role_change", target: "user:1", details: { email: "b@x.com", from: "viewer", to: "admin" } })).toBe(
      "b@x.com: viewer → admin",
    );
    expect(describeAuditEntry({ action: "user.book_change", target: "user:1", details: { email: "b@x.com", from: null, to: "Ben Okafor" } })).toBe(
      "b@x.com: no book → Ben Okafor",
    );
    expect(describeAuditEntry({ action: "user.deactivate", target: "user:1", details: { email: "b@x.com", sessionsRevoked: 2 } })).toBe(
      "b@x.com; 2 sessions ended",
    );
    expect(describeAuditEntry({ action: "user.deactivate", target: "user:1", details: { email: "b@x.com", sessionsRevoked: 1 } })).toBe(
      "b@x.com; 1 session ended",
    );
    expect(describeAuditEntry({ action: "user.password_reset", target: "user:1", details: { email: "b@x.com" } })).toBe("b@x.com; signed out everywhere");
  });

  it("falls back to the target and details for other features' actions", () => {
    expect(describeAuditEntry({ action: "weights.save", target: "event_type:12", details: { from: 1.5, to: 2, reason: "tuning" } })).toBe(
      "event_type:12 · from: 1.5 · to: 2 · reason: tuning",
    );
  });
});
