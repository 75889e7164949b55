import { z } from "zod";

/**
 * Characters that are never content, refused in identifiers and removed from display text at
 * every writer (ingestion, CSV import, the admin and worklist forms):
 * - C0 control characters (NUL, backspace, …) and DEL, and the C1 controls U+0080–U+009F;
 * - ANSI escape sequences (ESC [ … m colours a terminal that prints a log line);
 * - bidirectional embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069, which make
 *   a name display in another order than it is stored ("Trojan Source").
 * Line breaks and tabs are content in multi-line text (notes, descriptions) only. Ordinary
 * Unicode (accents, CJK, emoji, right-to-left scripts themselves) is kept.
 */

// ESC or CSI (U+009B), then an optional "[", parameters, intermediates and a final byte.
const ANSI_SEQUENCE = /(?:\u001b\[?|\u009b)[0-?]*[ -/]*[@-~]/g;
const CONTROL_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export const UNSAFE_IDENTIFIER_MESSAGE = "must not contain control characters, escape sequences, line breaks or bidirectional overrides";

/** Whether an identifier holds any character above (tabs and line breaks included). */
export function hasUnsafeCharacters(value: string): boolean {
  return UNSAFE.test(value);
}

/** One-line display text (a name, a title): escape sequences and controls removed, tabs and line breaks become spaces. */
export function cleanLine(value: string): string {
  return value.replace(ANSI_SEQUENCE, "").replace(/[\t\r\n]+/g, " ").replace(CONTROL_IN_LINE, "");
}

/** Multi-line text (a note, a description): as cleanLine, but tabs and line breaks stay (CRLF becomes LF). */
export function cleanText(value: string): string {
  return value.replace(ANSI_SEQUENCE, "").replace(/\r\n?/g, "\n").replace(CONTROL_IN_TEXT, "");
}

/** zod: an identifier is refused (not changed) when it holds an unsafe character: two ids must never become one. */
export const safeIdentifier = z.string().refine((v) => !hasUnsafeCharacters(v), UNSAFE_IDENTIFIER_MESSAGE);

/** zod: one-line display text, cleaned. */
export const displayLine = z.string().transform(cleanLine);

/** zod: multi-line display text, cleaned. */
export const displayText = z.string().transform(cleanText);
