/**
 * Part 2 and the preview bodies: what an admin does on the weights page, through the
 * running server. A weight change is previewed, then saved; the full recompute of current
 * scores and every account's daily history runs in the server (the recompute job) and is
 * timed from the save until the job reports it done.
 */
import { z } from "zod";
import { timed } from "../lib/http";
import { log } from "../lib/output";

const typeConfig = z.object({ weightHundredths: z.number(), active: z.boolean() });
const adminViewSchema = z.object({
  version: z.number(),
  config: z.object({ settings: z.unknown(), types: z.record(z.string(), typeConfig) }),
});
const jobSchema = z.object({ status: z.enum(["idle", "running", "done", "failed"]), versionId: z.number().nullable(), done: z.number(), total: z.number(), error: z.string().nullable() });

type AdminConfig = z.infer<typeof adminViewSchema>["config"];

async function configInForce(base: string, cookie: string): Promise<{ version: number; config: AdminConfig }> {
  const r = await timed(`${base}/api/admin/scoring`, { headers: { cookie } });
  if (r.status !== 200) throw new Error(`GET /api/admin/scoring answered ${r.status}: ${r.body.slice(0, 300)}`);
  return adminViewSchema.parse(JSON.parse(r.body));
}

/** The configuration with some weights changed: variant i changes different types by different amounts. */
function edited(config: AdminConfig, variant: number): AdminConfig {
  const keys = Object.keys(config.types).sort();
  const types = { ...config.types };
  for (let k = variant % 3; k < keys.length; k += 3) {
    const key = keys[k];
    const t = key ? types[key] : undefined;
    if (key && t) types[key] = { ...t, weightHundredths: Math.round(t.weightHundredths * (1.25 + 0.05 * (variant % 5))) + 10 };
  }
  return { ...config, types };
}

/** Preview request bodies: twenty different edits of the configuration in force. */
export async function previewBodies(base: string, adminCookie: string): Promise<string[]> {
  const { config } = await configInForce(base, adminCookie);
  return Array.from({ length: 20 }, (_, i) => JSON.stringify(edited(config, i)));
}

export interface RecomputeResult {
  /** From the save until the job reported done (the admin waits this long for new scores). */
  millis: number;
  accounts: number;
  versionId: number;
}

/** Saves a weight change as an admin and waits for the server's full recompute to finish. */
export async function measureRecompute(base: string, adminCookie: string): Promise<RecomputeResult> {
  const { config } = await configInForce(base, adminCookie);
  const headers = { cookie: adminCookie, origin: base, "content-type": "application/json" };
  const started = performance.now();
  const save = await timed(`${base}/api/admin/scoring`, { method: "POST", headers, body: JSON.stringify({ config: edited(config, 7), reason: "Benchmark: full recompute" }) });
  if (save.status !== 202) throw new Error(`saving the configuration answered ${save.status}: ${save.body.slice(0, 300)}`);
  const versionId = z.object({ versionId: z.number() }).parse(JSON.parse(save.body)).versionId;
  for (;;) {
    const r = await timed(`${base}/api/admin/scoring/job`, { headers: { cookie: adminCookie } });
    const job = jobSchema.parse(JSON.parse(r.body));
    if (job.versionId === versionId && job.status === "done") {
      const millis = performance.now() - started;
      log(`full recompute of ${job.done.toLocaleString("en-US")} accounts: ${(millis / 1000).toFixed(1)} s`);
      return { millis, accounts: job.done, versionId };
    }
    if (job.versionId === versionId && job.status === "failed") throw new Error(`the recompute failed: ${job.error ?? "?"}`);
    if (performance.now() - started > 15 * 60_000) throw new Error("the recompute did not finish within 15 minutes");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
