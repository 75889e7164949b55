import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { Db } from "@/db/client";
import { todayDay } from "@/lib/days";
import { bandFor, type Band } from "@/lib/scoring/bands";
import type { Activity } from "@/lib/scoring/standing";
import { announceScoreTransitions, needsEvaluation, recordScoreWrites } from "@/lib/server/score-change-log";

/** Test data written with the data layer's SQL, so the same helpers serve SQLite and PostgreSQL. */
export const ADMIN = { id: "u-admin", name: "Ada Admin" };

export interface AccountSpec {
  externalId: string;
  name?: string;
  manager?: string | null;
  plan?: string | null;
  region?: string | null;
  stage?: "trial" | "customer" | "churned";
  renewalDate?: string | null;
  trialEndDate?: string | null;
  tags?: string[];
}

export async function insertAccount(db: Db, spec: AccountSpec): Promise<number> {
  const now = Date.now();
  const id = await db.value<number>(sql`INSERT INTO accounts (external_id, name, plan, region, account_manager, stage, renewal_date, trial_end_date, created_at, updated_at)
    VALUES (${spec.externalId}, ${spec.name ?? spec.externalId}, ${spec.plan ?? null}, ${spec.region ?? null}, ${spec.manager ?? null},
      ${spec.stage ?? "customer"}, ${spec.renewalDate ?? null}, ${spec.trialEndDate ?? null}, ${now}, ${now}) RETURNING id`);
  if (id === undefined) throw new Error("no id");
  for (const tag of spec.tags ?? []) await db.run(sql`INSERT INTO account_tags (account_id, tag) VALUES (${id}, ${tag})`);
  return id;
}

export interface ScoreSpec {
  points: number;
  /** Points compareDays ago (default: the same). */
  previous?: number;
  declining?: boolean;
  configVersion?: number;
  asOfDay?: number;
  band?: Band;
  /** What the score means (default active). */
  activity?: Activity;
  /** The comparison day's activity; null for a new account, which did not exist then (default active). */
  previousActivity?: Activity | null;
}

/**
 * Writes an account's current score the way the score writers do (lib/server/score-sync.ts,
 * recompute.ts): the upsert and, in its transaction, the record of what changed
 * (recordScoreWrites: transitions, configuration summaries, changes for the read API).
 */
export async function setScore(db: Db, accountId: number, spec: ScoreSpec): Promise<void> {
  const hundredths = Math.round(spec.points * 100);
  const previous = Math.round((spec.previous ?? spec.points) * 100);
  const band = spec.band ?? bandFor(spec.points);
  const version = spec.configVersion ?? 1;
  const activity = spec.activity ?? "active";
  const previousActivity = spec.previousActivity === undefined ? "active" : spec.previousActivity;
  const log = await db.transaction(async (tx) => {
    const stored = await tx.get<{ band: Band; declining: number; activity: Activity; previousActivity: Activity | null; scoreHundredths: number; configVersion: number }>(sql`
      SELECT band, declining, activity, previous_activity AS "previousActivity", score_hundredths AS "scoreHundredths", config_version AS "configVersion"
      FROM account_scores WHERE account_id = ${accountId}`);
    await tx.run(sql`INSERT INTO account_scores (account_id, as_of_day, score_hundredths, previous_hundredths, band, previous_band, declining, config_version,
        activity, previous_activity)
      VALUES (${accountId}, ${spec.asOfDay ?? todayDay()}, ${hundredths}, ${previous}, ${band}, ${bandFor(previous / 100)}, ${spec.declining ? 1 : 0}, ${version},
        ${activity}, ${previousActivity})
      ON CONFLICT (account_id) DO UPDATE SET as_of_day = excluded.as_of_day, score_hundredths = excluded.score_hundredths,
        previous_hundredths = excluded.previous_hundredths, band = excluded.band, previous_band = excluded.previous_band,
        declining = excluded.declining, config_version = excluded.config_version, activity = excluded.activity,
        previous_activity = excluded.previous_activity`);
    return recordScoreWrites(tx, [
      {
        accountId,
        before: stored ? { ...stored, declining: stored.declining === 1 } : null,
        after: { band, declining: spec.declining ?? false, activity, previousActivity, scoreHundredths: hundredths, configVersion: version },
      },
    ]);
  });
  if (needsEvaluation(log)) announceScoreTransitions();
}

export async function insertUser(db: Db, user: { id: string; name: string; email: string; role?: "viewer" | "manager" | "admin"; book?: string | null }): Promise<void> {
  const now = Date.now();
  await db.run(sql`INSERT INTO users (id, name, email, email_verified, role, account_manager_name, created_at, updated_at)
    VALUES (${user.id}, ${user.name}, ${user.email}, 0, ${user.role ?? "manager"}, ${user.book ?? null}, ${now}, ${now})`);
}

export async function count(db: Db, query: ReturnType<typeof sql>): Promise<number> {
  return (await db.value<number>(query)) ?? 0;
}

export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** What to answer a path with (default 200 "ok"); `hang` never answers. */
  respond: (path: string, handler: (req: ReceivedRequest, res: http.ServerResponse) => void | "hang") => void;
  /** Resolves when `n` requests to `path` arrived. */
  waitFor: (path: string, n: number) => Promise<ReceivedRequest[]>;
  close: () => Promise<void>;
}

/** A real HTTP receiver on a free port, recording every request. */
export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const handlers = new Map<string, (req: ReceivedRequest, res: http.ServerResponse) => void | "hang">();
  const waiters: { path: string; n: number; resolve: (r: ReceivedRequest[]) => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const received = { path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      requests.push(received);
      for (const w of [...waiters]) {
        const matching = requests.filter((r) => r.path === w.path);
        if (matching.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(matching);
        }
      }
      const handler = handlers.get(path);
      if (handler) {
        if (handler(received, res) === "hang") return;
      } else {
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond: (path, handler) => handlers.set(path, handler),
    waitFor: (path, n) =>
      new Promise((resolve) => {
        const matching = requests.filter((r) => r.path === path);
        if (matching.length >= n) resolve(matching);
        else waiters.push({ path, n, resolve });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SmtpReceiver {
  port: number;
  messages: ParsedMail[];
  raw: string[];
  waitFor: (n: number) => Promise<ParsedMail[]>;
  close: () => Promise<void>;
}

/** A real SMTP server (smtp-server) on a free port that accepts every message and parses it (mailparser). */
export async function startSmtp(): Promise<SmtpReceiver> {
  const messages: ParsedMail[] = [];
  const raw: string[] = [];
  const waiters: { n: number; resolve: (m: ParsedMail[]) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        raw.push(text);
        simpleParser(text)
          .then((mail) => {
            messages.push(mail);
            for (const w of [...waiters]) {
              if (messages.length >= w.n) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(messages);
              }
            }
            callback();
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    messages,
    raw,
    waitFor: (n) =>
      new Promise((resolve) => {
        if (messages.length >= n) resolve(messages);
        else waiters.push({ n, resolve });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
