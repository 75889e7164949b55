import { describe, expect, it } from "vitest";
import { originUrl, publicOrigin } from "./public-origin";

const reader = (headers: Record<string, string>) => (name: string) => headers[name] ?? null;

describe("publicOrigin", () => {
  it("is the request's own host and protocol without a proxy", () => {
    expect(publicOrigin(reader({ host: "127.0.0.1:3000" }), "http://127.0.0.1:3000/v1/projects/k/settings")).toEqual({ protocol: "http", host: "127.0.0.1:3000" });
    expect(publicOrigin(reader({}), "http://localhost:4000/x")).toEqual({ protocol: "http", host: "localhost:4000" });
  });

  it("follows a proxy's X-Forwarded-Proto and X-Forwarded-Host (their first value: the visitor's side)", () => {
    const headers = { host: "127.0.0.1:3000", "x-forwarded-proto": "https, http", "x-forwarded-host": "CES.example.com, internal:8080", "x-forwarded-port": "3000" };
    expect(publicOrigin(reader(headers), "http://127.0.0.1:3000/")).toEqual({ protocol: "https", host: "ces.example.com" });
  });

  it("reads the standard Forwarded header", () => {
    const headers = { host: "10.0.0.5:3000", forwarded: 'for=192.0.2.60;proto=https;host="ces.example.com:8443", for=10.0.0.1' };
    expect(publicOrigin(reader(headers), "http://10.0.0.5:3000/")).toEqual({ protocol: "https", host: "ces.example.com:8443" });
  });

  it("drops the default port of the protocol", () => {
    expect(publicOrigin(reader({ "x-forwarded-proto": "https", "x-forwarded-host": "ces.example.com:443" }), null)).toEqual({ protocol: "https", host: "ces.example.com" });
    expect(publicOrigin(reader({ host: "ces.example.com:80" }), "http://ces.example.com/")).toEqual({ protocol: "http", host: "ces.example.com" });
  });

  it("ignores values that are not a protocol or a host, falling back to the next source", () => {
    const headers = { host: "ces.example.com", "x-forwarded-proto": "javascript", "x-forwarded-host": "evil.example/path?x=1" };
    expect(publicOrigin(reader(headers), "https://ces.example.com/")).toEqual({ protocol: "https", host: "ces.example.com" });
    expect(publicOrigin(reader({ host: "[::1]:3000" }), null)).toEqual({ protocol: "http", host: "[::1]:3000" });
  });

  it("formats as an origin", () => {
    expect(originUrl({ protocol: "https", host: "ces.example.com" })).toBe("https://ces.example.com");
  });
});
