import { getDb } from "@/db";
import { refuseMetricsRequest } from "@/lib/operations/server/metrics-access";
import { renderMetrics } from "@/lib/operations/server/metrics";
import { handleErrors } from "@/lib/http/server/http";

export const dynamic = "force-dynamic";

/** GET /metrics — Prometheus text format, for a scraper holding METRICS_TOKEN. */
export async function GET(request: Request) {
  return handleErrors(async () => {
    const refused = refuseMetricsRequest(request);
    if (refused) return refused;
    const { contentType, body } = await renderMetrics(await getDb());
    return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
  });
}
