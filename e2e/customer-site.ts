import http from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import { max as snippetMax } from "@segment/snippet";

/**
 * A customer's website on another origin (its own port on 127.0.0.1, chosen by the system so
 * parallel runs never collide) that loads Segment's analytics.js the two standard ways:
 *
 * - `/npm.html`: `AnalyticsBrowser.load({ writeKey, cdnURL })` from the npm package
 *   @segment/analytics-next, bundled with esbuild as a customer's bundler would;
 * - `/snippet.html`: Segment's own snippet (@segment/snippet) with this server as its host,
 *   which loads the library, its settings and its parts from this server.
 *
 * Each page then runs the script it is given (the calls a customer's page makes).
 */
export interface CustomerSite {
  origin: string;
  close: () => Promise<void>;
}

const NPM_ENTRY = `
import { AnalyticsBrowser } from "@segment/analytics-next";
const params = new URLSearchParams(location.search);
window.analytics = AnalyticsBrowser.load({ writeKey: params.get("writeKey"), cdnURL: params.get("cdnURL") });
`;

async function npmBundle(): Promise<string> {
  const result = await build({
    stdin: { contents: NPM_ENTRY, resolveDir: process.cwd(), loader: "js" },
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2020",
    minify: true,
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error("esbuild produced no bundle");
  return file.text;
}

function page(title: string, head: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>${head}</head><body>${body}</body></html>`;
}

/** The HTML of a page that loads analytics.js with the official snippet from `serverOrigin`. */
function snippetPage(serverOrigin: string, writeKey: string, script: string): string {
  const server = new URL(serverOrigin);
  // The snippet always writes https://<host>; the test server speaks plain http (a real
  // installation is served over https and the snippet is used exactly as generated).
  const snippet = snippetMax({ apiKey: writeKey, host: server.host, useHostForBundles: true, page: false }).replaceAll(`https://${server.host}`, serverOrigin);
  return page("Snippet shop", `<script>${snippet}</script>`, `<h1>Snippet shop</h1><a id="pricing" href="#pricing">Pricing</a><script>${script}</script>`);
}

export async function startCustomerSite(options: { serverOrigin: string; writeKey: string; script: string }): Promise<CustomerSite> {
  const bundle = await npmBundle();
  const { serverOrigin, writeKey, script } = options;
  const routes = new Map<string, { type: string; body: string }>([
    [
      "/npm.html",
      {
        type: "text/html",
        body: page("npm shop", `<script src="/npm.js"></script>`, `<h1>npm shop</h1><a id="pricing" href="#pricing">Pricing</a><script>${script}</script>`),
      },
    ],
    ["/npm.js", { type: "text/javascript", body: bundle }],
    ["/snippet.html", { type: "text/html", body: snippetPage(serverOrigin, writeKey, script) }],
    ["/favicon.ico", { type: "image/x-icon", body: "" }],
  ]);
  const server = http.createServer((request, response) => {
    const route = routes.get(new URL(request.url ?? "/", "http://site").pathname);
    if (!route) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": `${route.type}; charset=utf-8`, "cache-control": "no-store" }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
