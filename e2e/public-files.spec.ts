import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";

/**
 * The icons browsers and phones ask for on their own (favicon.ico, apple-touch-icon.png, the
 * web manifest) are served from public/ to anyone, never redirected to sign-in (issue 13).
 */
test.use({ role: "signed-out" });

const PUBLIC_FILES = fs.readdirSync(path.resolve("public"));

test("every file in public/ is served without a session", async ({ request }) => {
  expect(PUBLIC_FILES).toEqual(expect.arrayContaining(["favicon.ico", "apple-touch-icon.png", "manifest.webmanifest"]));
  for (const file of PUBLIC_FILES) {
    const response = await request.get(`/${file}`, { maxRedirects: 0 });
    expect(response.status(), `/${file}`).toBe(200);
    expect((await response.body()).equals(fs.readFileSync(path.resolve("public", file))), `/${file} is the file in public/`).toBe(true);
  }
  const favicon = await request.get("/favicon.ico", { maxRedirects: 0 });
  expect(favicon.headers()["content-type"]).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
});

test("pages still send a visitor without a session to sign-in", async ({ request }) => {
  const response = await request.get("/accounts", { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers().location).toMatch(/\/sign-in\?next=%2Faccounts$/);
});
