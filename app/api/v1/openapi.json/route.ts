import { openApiDocument } from "@/lib/ingestion/openapi";

/** The OpenAPI document of the ingestion APIs; public, like any API reference. */
export function GET(request: Request) {
  const origin = new URL(request.url).origin;
  return Response.json(openApiDocument(origin), { headers: { "Cache-Control": "public, max-age=300" } });
}
