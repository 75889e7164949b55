/**
 * Deeply nested JSON is refused before anything walks it: JSON.parse copes with 100,000
 * levels, but every recursive walk after it (size checks, validation) would overflow the
 * stack. One limit for every JSON body the server reads.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * Whether the JSON text nests objects and arrays deeper than `maxDepth`: one pass over the
 * text that skips strings, without parsing it (so it cannot overflow anything itself).
 */
export function jsonNestingExceeds(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

export function jsonTooDeepMessage(maxDepth = MAX_JSON_DEPTH): string {
  return `The JSON body is nested more than ${maxDepth} levels deep; send flatter objects.`;
}
