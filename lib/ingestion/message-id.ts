import { createHash } from "node:crypto";

/**
 * An id for an event sent without one, derived from its content: a retry of the same
 * message (same body) gets the same id, so it is acknowledged rather than counted twice.
 * Two identical messages (same type, user, time and properties) are taken to be one event.
 * Fields that change between retries (sentAt, the write key) are left out.
 */
export function generatedMessageId(message: Record<string, unknown>): string {
  const { sentAt: _sentAt, writeKey: _writeKey, ...content } = message;
  return `gen-${createHash("sha256").update(JSON.stringify(content)).digest("base64url").slice(0, 32)}`;
}
