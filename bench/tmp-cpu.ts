import fs from "node:fs";
const base = "http://127.0.0.1:3545";
const pid = Number(fs.readFileSync("/tmp/fixed/pid", "utf8"));
const cpu = () => { const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []; return (Number(f[11]) + Number(f[12])) * 10; };
async function main() {
  for (let r = 0; r < 5; r++) for (const enc of ["gzip, deflate", "identity"]) {
    const n = 1000; const before = cpu(); const t = performance.now();
    for (let i = 0; i < n; i++) await (await fetch(base + "/api/health/live", { headers: { "accept-encoding": enc } })).text();
    console.log(enc.padEnd(16), "server CPU per request", ((cpu() - before) / n).toFixed(2), "ms; wall", ((performance.now() - t) / n).toFixed(2), "ms");
  }
}
void main();
