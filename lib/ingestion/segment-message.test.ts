import { describe, expect, it } from "vitest";
import { canonicalSegmentMessage, parseSegmentMessage, segmentMessageSchema } from "./segment-message";

const track = {
  type: "track",
  messageId: "m-1",
  event: "Report Created",
  userId: "u-1",
  context: { groupId: "acme", library: { name: "@segment/analytics-node", version: "3.1.0" } },
  properties: { plan: "pro", value: 3 },
  timestamp: "2026-11-20T10:00:00.000Z",
  _metadata: { jsRuntime: "node" },
};

/** Every variation here is taken by the fast path or refused by it, and either way parses exactly as the schema does. */
const variations: [string, unknown, "fast" | "schema"][] = [
  ["a track call as SDKs send it", track, "fast"],
  ["an anonymous page call with nulls", { type: "page", anonymousId: "a-1", name: null, userId: null, context: null, properties: { groupId: "acme" } }, "fast"],
  ["no type (a single-call endpoint)", { event: "Login", userId: "u-1", sentAt: "2026-11-20T10:00:00Z", originalTimestamp: "2026-11-20T09:59:00Z" }, "fast"],
  ["alias", { type: "alias", userId: "u-1", previousId: "a-1", messageId: "m-2" }, "fast"],
  ["a numeric id", { ...track, userId: 42 }, "schema"],
  ["an id to trim", { ...track, messageId: " m-1 " }, "schema"],
  ["an empty id", { ...track, userId: "" }, "schema"],
  ["an id with a line break", { ...track, userId: "u\n1" }, "schema"],
  ["an id of 201 characters", { ...track, userId: "u".repeat(201) }, "schema"],
  ["an id of 200 characters", { ...track, userId: "u".repeat(200) }, "fast"],
  ["a group id in context to trim", { ...track, context: { groupId: " acme" } }, "schema"],
  ["a numeric group id in properties", { ...track, context: undefined, properties: { groupId: 7 } }, "schema"],
  ["context as an array", { ...track, context: ["acme"] }, "schema"],
  ["properties as a string", { ...track, properties: "acme" }, "schema"],
  ["an unknown type", { ...track, type: "purchase" }, "schema"],
  ["a null type", { ...track, type: null }, "schema"],
  ["a numeric event name", { ...track, event: 5 }, "schema"],
  ["a numeric timestamp", { ...track, timestamp: 1_700_000_000_000 }, "schema"],
  ["traits", { type: "group", groupId: "acme", userId: "u-1", traits: { plan: "Pro" } }, "schema"],
  ["traits as an array", { type: "group", groupId: "acme", traits: ["Pro"] }, "schema"],
  ["a numeric write key", { ...track, writeKey: 1 }, "schema"],
  ["an own __proto__ key in context", JSON.parse('{"type":"track","event":"x","userId":"u","context":{"__proto__":{"groupId":"evil"}}}'), "schema"],
  ["an array", [track], "schema"],
  ["null", null, "schema"],
];

describe("the fast path for well-formed Segment messages", () => {
  it.each(variations)("%s: parsed exactly as the schema parses it", (_label, raw, path) => {
    const expected = segmentMessageSchema.safeParse(raw);
    const fast = canonicalSegmentMessage(raw);
    expect(fast === null ? "schema" : "fast").toBe(path);
    const parsed = parseSegmentMessage(raw);
    expect(parsed.success).toBe(expected.success);
    if (expected.success && parsed.success) {
      // Every field the schema checks, with the value the schema gives it (fields it lets pass are not read).
      for (const key of Object.keys(segmentMessageSchema.shape) as (keyof typeof segmentMessageSchema.shape)[]) {
        expect(parsed.data[key], key).toEqual(expected.data[key]);
      }
    } else if (!expected.success && !parsed.success) {
      expect(parsed.error.issues).toEqual(expected.error.issues);
    }
  });
});
