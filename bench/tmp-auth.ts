import fs from "node:fs";
import { signIn } from "./lib/http";
const base = "http://127.0.0.1:3545";
const pid = Number(fs.readFileSync("/tmp/fixed/pid", "utf8"));
const cpu = () => { const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []; return (Number(f[11]) + Number(f[12])) * 10; };
async function main() {
  const manager = await signIn(base, "manager");
  const paths = (process.env.PATHS ?? "/api/overview").split(",");
  for (const path of paths) {
    for (let i = 0; i < 100; i++) await (await fetch(base + path, { headers: { cookie: manager } })).text();
    const out: string[] = [];
    for (let r = 0; r < 3; r++) { const n = 500; const before = cpu(); for (let i = 0; i < n; i++) await (await fetch(base + path, { headers: { cookie: manager } })).text(); out.push(((cpu() - before) / n).toFixed(2)); }
    console.log(path, "server CPU ms per request:", out.join(" "));
  }
}
void main();
