/**
 * Whether the JSON text of `value` would be longer than `limit` characters, without building
 * the text: a walk that stops as soon as the limit is passed. Strings count their UTF-16
 * length (bytes for ASCII), so this is the JSON size within escapes and multi-byte characters,
 * which is what a per-event size limit needs.
 */
export function jsonSizeExceeds(value: unknown, limit: number): boolean {
  return measure(value, limit) > limit;
}

function measure(value: unknown, budget: number): number {
  switch (typeof value) {
    case "string":
      return value.length + 2;
    case "number":
    case "boolean":
      return 8;
    case "object": {
      if (value === null) return 4;
      let size = 2;
      if (Array.isArray(value)) {
        for (const item of value) {
          size += measure(item, budget - size) + 1;
          if (size > budget) return size;
        }
        return size;
      }
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        size += key.length + 4 + measure((value as Record<string, unknown>)[key], budget - size);
        if (size > budget) return size;
      }
      return size;
    }
    default:
      return 0;
  }
}
