import { DRY_RUN_PARAM } from "./dry-run";

/**
 * The test call shown after a write key is created (Admin → Write keys). It is a dry run
 * (`?dryRun=true`): the server checks the key and the event exactly as it would store them,
 * answers what would be stored, and stores nothing, so trying a key never creates the sample
 * account in the real data.
 */
export const SAMPLE_TRACK_MESSAGE = {
  event: "Report Created",
  userId: "u-42",
  context: { groupId: "acme" },
} as const;

export function sampleTrackPath(): string {
  return `/v1/track?${DRY_RUN_PARAM}=true`;
}

export function sampleCurl(origin: string, key: string): string {
  return `curl "${origin}${sampleTrackPath()}" \\
  -u "${key}:" \\
  -H "Content-Type: application/json" \\
  -d '${JSON.stringify(SAMPLE_TRACK_MESSAGE)}'`;
}
