import { sql } from "drizzle-orm";
import { withE2eDb } from "./db";
import { E2E_BASE_URL, expect, test } from "./fixtures";

/**
 * Issue 14, against the running production server: bodies are capped before they are read,
 * JSON must say it is JSON and may not nest deeply, forwarded addresses are not believed from
 * just anyone, a malformed path gets a proper 400, the session token never reaches page
 * scripts, and /api/health tells the signed-out nothing but "up".
 */

/** Posts a body that never ends, as a stream without a length: only a server that stops reading it can answer. */
async function postEndless(path: string, headers: Record<string, string>): Promise<{ status: number; body: string; sentBytes: number }> {
  let sentBytes = 0;
  const chunk = new Uint8Array(64 * 1024).fill(32);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      sentBytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const response = await fetch(E2E_BASE_URL + path, { method: "POST", body, duplex: "half", headers: { origin: E2E_BASE_URL, ...headers } } as RequestInit);
  return { status: response.status, body: await response.text(), sentBytes };
}

function cookieHeader(state: { cookies: { name: string; value: string }[] }): string {
  return state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

test.describe("request bodies", () => {
  test("an endless body is refused with 413 before sign-in, by the dashboard APIs and by the CSV upload", async ({ roleStates }) => {
    const json = { "content-type": "application/json" };
    const signIn = await postEndless("/api/auth/sign-in/email", json);
    expect(signIn.status).toBe(413);
    expect(JSON.parse(signIn.body)).toMatchObject({ success: false, error: { code: "payload_too_large", message: expect.stringContaining("16 KB") } });

    const manager = cookieHeader(await roleStates("manager"));
    const note = await postEndless("/api/accounts/1/notes", { ...json, cookie: manager });
    expect(note.status).toBe(413);
    expect(JSON.parse(note.body)).toMatchObject({ error: { code: "payload_too_large", message: expect.stringContaining("64 KB") } });

    const admin = cookieHeader(await roleStates("admin"));
    const upload = await postEndless("/api/admin/import/preview", { "content-type": "multipart/form-data; boundary=x", cookie: admin });
    expect(upload.status).toBe(413);
    expect(JSON.parse(upload.body)).toMatchObject({ error: { code: "payload_too_large", field: "file" } });
  });

  test("a declared length over the limit is refused at once", async ({ request }) => {
    const response = await request.post("/api/auth/sign-in/email", {
      headers: { "content-type": "application/json", origin: E2E_BASE_URL },
      data: JSON.stringify({ email: "x@example.com", password: "p".repeat(20_000) }),
    });
    expect(response.status()).toBe(413);
  });

  test.describe("as an administrator", () => {
    test("JSON commands must say they are JSON (415) and may not nest deeply (400)", async ({ request }) => {
      const plain = await request.post("/api/admin/keys", { headers: { "content-type": "text/plain", origin: E2E_BASE_URL }, data: JSON.stringify({ label: "plain text key" }) });
      expect(plain.status()).toBe(415);
      expect(await plain.json()).toMatchObject({ success: false, error: { code: "unsupported_media_type" } });
      const deep = await request.post("/api/change-markers", {
        headers: { "content-type": "application/json", origin: E2E_BASE_URL },
        data: `${"[".repeat(20_000)}${"]".repeat(20_000)}`, // 40 KB: under the size limit, far over the depth limit
      });
      expect(deep.status()).toBe(400);
      expect(await deep.json()).toMatchObject({ error: { code: "json_too_deep", message: expect.stringContaining("64 levels") } });
      const keys = (await (await request.get("/api/admin/keys")).json()) as { keys: { label: string }[] };
      expect(keys.keys.map((k) => k.label)).not.toContain("plain text key");
    });
  });
});

test.describe("signed out", () => {
  test.use({ role: "signed-out" });

  test("a made-up X-Forwarded-For does not choose the address the sign-in limit counts", async ({ request }) => {
    const spoofed = `203.0.113.${Math.floor(Math.random() * 200) + 20}`;
    const response = await request.post("/api/auth/sign-in/email", {
      headers: { origin: E2E_BASE_URL, "x-forwarded-for": spoofed },
      data: { email: "nobody-spoof@example.com", password: "not-a-password" },
    });
    expect(response.status()).toBe(401);
    const keys = (await withE2eDb((db) => db.all<{ key: string }>(sql`SELECT key FROM rate_limits WHERE key LIKE '%/sign-in/email'`))).map((row) => row.key);
    expect(keys).toContain("127.0.0.1|/sign-in/email");
    expect(keys.filter((k) => k.startsWith(spoofed))).toEqual([]);
  });

  test("/api/health (readiness) and /api/health/live say only that the service is up", async ({ request }) => {
    for (const path of ["/api/health", "/api/health/live"]) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      expect(await response.json(), path).toEqual({ ok: true });
    }
  });
});

test.describe("a malformed path", () => {
  test("answers 400 with the security headers, for pages and APIs", async ({ request }) => {
    for (const [method, path] of [
      ["GET", "/api/accounts/%"],
      ["GET", "/accounts/%"],
      ["DELETE", "/api/admin/tags/%"],
    ] as const) {
      const response = await request.fetch(path, { method, headers: { origin: E2E_BASE_URL }, maxRedirects: 0 });
      expect(response.status(), `${method} ${path}`).toBe(400);
      const headers = response.headers();
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(headers["x-frame-options"]).toBe("DENY");
      if (path.startsWith("/api/")) expect(await response.json()).toMatchObject({ success: false, error: { code: "invalid_path" } });
      else expect(await response.text()).toContain("Bad address");
    }
  });
});

test.describe("the session token", () => {
  test.use({ role: "viewer" });

  test("is in the HttpOnly cookie only, never in what page scripts can read", async ({ playwright, request }) => {
    const anonymous = await playwright.request.newContext({ baseURL: E2E_BASE_URL });
    const signIn = await anonymous.post("/api/auth/sign-in/email", { headers: { origin: E2E_BASE_URL }, data: { email: "viewer@example.com", password: "demo-viewer-password" } });
    expect(signIn.status()).toBe(200);
    const cookie = (await anonymous.storageState()).cookies.find((c) => c.name.endsWith("session_token"));
    expect(cookie?.httpOnly).toBe(true);
    const raw = decodeURIComponent(cookie?.value ?? "").split(".")[0] ?? "";
    expect(raw.length).toBeGreaterThan(10);
    const bodies = [await signIn.text(), await (await anonymous.get("/api/auth/get-session")).text(), await (await anonymous.get("/api/auth/list-sessions")).text()];
    for (const body of bodies) {
      expect(body).not.toContain(raw);
      expect(body).not.toMatch(/"token"/);
    }
    await anonymous.dispose();
    // The page's own session lookup still works.
    expect(((await (await request.get("/api/auth/get-session")).json()) as { user: { email: string } }).user.email).toBe("viewer@example.com");
  });
});

test.describe("stored values, as a manager", () => {
  test.use({ role: "manager" });

  test("dates outside their ranges are refused with the field named; notes lose control characters", async ({ request }) => {
    const headers = { origin: E2E_BASE_URL };
    const contact = await request.post("/api/accounts/1/contacts", { headers, data: { outcome: "reached", contactedAt: "0000-01-01T00:00:00Z" } });
    expect(contact.status()).toBe(400);
    expect(await contact.json()).toMatchObject({ error: { field: "contactedAt", message: "contactedAt: must be on or after 2000-01-01" } });
    const marker = await request.post("/api/change-markers", { headers, data: { date: "9999-12-31", title: "Placeholder" } });
    expect(marker.status()).toBe(400);
    expect(await marker.json()).toMatchObject({ error: { field: "date", message: expect.stringMatching(/^date: must be on or before \d{4}-\d{2}-\d{2}$/) } });
    const note = await request.post("/api/accounts/1/notes", { headers, data: { body: "Called\u0000 back \u001b[31mtoday\u001b[0m\u202E" } });
    expect(note.status()).toBe(201);
    expect(await note.json()).toMatchObject({ body: "Called back today" });
  });
});
