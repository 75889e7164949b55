import { describe, expect, it } from "vitest";
import { buildEventTypeCatalog, editDistance, matchEventName, suggestionsFor, type CatalogType } from "./event-names";

const TYPES: CatalogType[] = [
  { id: 1, key: "webinar_registered", label: "Webinar registration", held: false },
  { id: 2, key: "report_created", label: "Report created", held: false },
  { id: 3, key: "signup", label: "Signed up", held: false },
  { id: 4, key: "session_started", label: "Session started", held: false },
  { id: 5, key: "login", label: "Login", held: false },
  { id: 6, key: "logout", label: "Logout", held: false },
  { id: 7, key: "seat_added", label: "Seat added", held: false },
  { id: 8, key: "nps_detractor", label: "NPS detractor response", held: false },
];
const catalog = buildEventTypeCatalog(TYPES, [{ nameKey: "webinar_signup", typeId: 1 }]);
const match = (name: string) => matchEventName(catalog, name);

describe("event name matching", () => {
  it("matches the key in any case, spacing, underscores or hyphens", () => {
    for (const name of ["report_created", "Report Created", "REPORT-CREATED", "  report  created ", "Report.Created!"]) {
      expect(match(name), name).toEqual({ kind: "type", typeId: 2, by: "key" });
    }
  });

  it("matches a type's display label, however it is written", () => {
    for (const name of ["Webinar registration", "webinar_registration", "WEBINAR-REGISTRATION", "NPS detractor response"]) {
      expect(match(name), name).toMatchObject({ kind: "type", by: "label" });
    }
    expect(match("Webinar registration")).toEqual({ kind: "type", typeId: 1, by: "label" });
  });

  it("matches words run together or split apart", () => {
    expect(match("Sign up")).toEqual({ kind: "type", typeId: 3, by: "spacing" });
    expect(match("SessionStarted")).toEqual({ kind: "type", typeId: 4, by: "spacing" });
    expect(match("Log in")).toEqual({ kind: "type", typeId: 5, by: "spacing" });
    expect(match("webinarregistration")).toEqual({ kind: "type", typeId: 1, by: "spacing" });
  });

  it("follows the names an admin mapped", () => {
    expect(match("Webinar Signup")).toEqual({ kind: "type", typeId: 1, by: "alias" });
    expect(match("Webinar sign-up")).toEqual({ kind: "type", typeId: 1, by: "spacing" });
  });

  it("holds a name that nearly matches, with what it may mean", () => {
    expect(match("Webinar registrations")).toEqual({ kind: "held", key: "webinar_registrations", candidates: [1] });
    expect(match("Seats added")).toEqual({ kind: "held", key: "seats_added", candidates: [7] });
    expect(match("Reprot created")).toEqual({ kind: "held", key: "reprot_created", candidates: [2] });
    expect(match("Session startd")).toEqual({ kind: "held", key: "session_startd", candidates: [4] });
    expect(match("Reports creating")).toEqual({ kind: "held", key: "reports_creating", candidates: [2] });
  });

  it("holds a label two types share, suggesting both", () => {
    const shared = buildEventTypeCatalog([
      { id: 1, key: "trial_started", label: "Trial start", held: false },
      { id: 2, key: "trial_start", label: "Trial started", held: false },
      { id: 3, key: "a_b", label: "Demo booked", held: false },
      { id: 4, key: "c_d", label: "Demo booked", held: false },
    ]);
    expect(matchEventName(shared, "demo booked")).toEqual({ kind: "held", key: "demo_booked", candidates: [3, 4] });
    // A key wins over another type's label.
    expect(matchEventName(shared, "Trial started")).toEqual({ kind: "type", typeId: 1, by: "key" });
  });

  it("keeps short and different names apart: a new type", () => {
    expect(match("Logon")).toEqual({ kind: "held", key: "logon", candidates: [5] });
    expect(match("Export CSV")).toEqual({ kind: "new", key: "export_csv" });
    expect(match("Report deleted")).toEqual({ kind: "new", key: "report_deleted" });
    expect(match("Lag")).toEqual({ kind: "new", key: "lag" });
    expect(match("Integration connected")).toEqual({ kind: "new", key: "integration_connected" });
    expect(match("!!!")).toEqual({ kind: "invalid" });
    // Numbered events are different events, however close their names.
    const steps = buildEventTypeCatalog([{ id: 1, key: "onboarding_step_1_completed", label: "Onboarding step 1 completed", held: false }]);
    expect(matchEventName(steps, "Onboarding step 2 completed")).toEqual({ kind: "new", key: "onboarding_step_2_completed" });
    expect(matchEventName(steps, "Onboarding step 1 complted")).toMatchObject({ kind: "held", candidates: [1] });
  });

  it("sends a held type's own name to it, and suggests the types it nearly matches", () => {
    const withHeld = buildEventTypeCatalog([...TYPES, { id: 9, key: "webinar_registrations", label: "Webinar Registrations", held: true }]);
    expect(matchEventName(withHeld, "Webinar Registrations")).toEqual({ kind: "type", typeId: 9, by: "key" });
    expect(suggestionsFor(withHeld, "webinar_registrations")).toEqual([1]);
    // A held type is never suggested for another near name.
    expect(matchEventName(withHeld, "webinar registrationz")).toEqual({ kind: "held", key: "webinar_registrationz", candidates: [1] });
  });

  it("counts edit distance with transpositions, stopping past the limit", () => {
    expect(editDistance("report", "reprot", 2)).toBe(1);
    expect(editDistance("kitten", "sitting", 5)).toBe(3);
    expect(editDistance("kitten", "sitting", 1)).toBe(2);
    expect(editDistance("abc", "abc", 0)).toBe(0);
  });
});
