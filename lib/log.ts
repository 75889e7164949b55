import { randomUUID } from "node:crypto";
import { z } from "zod";

/**
 * Structured logs: one JSON object per line on stdout — time, level, msg, and fields such as
 * requestId, job or an error's name, message, code and stack — for any log shipper to read.
 * LOG_LEVEL (debug, info, warn, error, silent; default info) sets the least severe level
 * written. Secrets never reach a line: fields named like one (password, secret, token,
 * authorization, cookie, key) are replaced, and write keys (ces_…) are masked in any text.
 *
 * A small module rather than pino: the server writes a few lines per minute outside errors,
 * and this needs no worker thread, transport or bundler configuration under Next.js.
 */
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = Exclude<keyof typeof LEVELS, "silent">;

const levelSchema = z.enum(["debug", "info", "warn", "error", "silent"], {
  error: "LOG_LEVEL must be one of debug, info, warn, error, silent",
});

function threshold(): number {
  const raw = process.env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return LEVELS.info;
  const parsed = levelSchema.safeParse(raw);
  return parsed.success ? LEVELS[parsed.data] : LEVELS.info;
}

/** LOG_LEVEL's problem, if it has one (checked at start-up). */
export function logLevelProblem(env: Record<string, string | undefined> = process.env): string | null {
  const raw = env.LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return null;
  const parsed = levelSchema.safeParse(raw);
  return parsed.success ? null : `LOG_LEVEL: ${parsed.error.issues[0]?.message ?? "invalid"}`;
}

const SECRET_FIELD = /pass(word)?|secret|token|authori[sz]ation|cookie|^key$|apikey|writekey|credential/i;
/**
 * A write key ("ces_" + 40 base-62 characters), or a long piece of one. Shorter names with the
 * same prefix (a database "ces_production", a metric "ces_ingest_events_total") stay readable.
 */
const WRITE_KEY = /\bces_[A-Za-z0-9]{20,}/g;

function maskText(text: string): string {
  return text.replace(WRITE_KEY, (key) => `${key.slice(0, 8)}…`);
}

function serialiseError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: maskText(error.message),
      ...(typeof code === "string" || typeof code === "number" ? { code } : {}),
      ...(error.stack ? { stack: maskText(error.stack) } : {}),
      ...(error.cause !== undefined ? { cause: serialiseError(error.cause) } : {}),
    };
  }
  return { message: maskText(String(error)) };
}

function clean(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return maskText(value);
  if (value instanceof Error) return serialiseError(value);
  if (value === null || typeof value !== "object" || depth > 4) return value;
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) ? "[redacted]" : clean(v, depth + 1);
  return out;
}

export type LogFields = Record<string, unknown>;

/** Where lines go (tests capture them). */
export type LogSink = (line: string) => void;
const sinkSlot = globalThis as unknown as { cesLogSink?: LogSink };

export function setLogSink(sink: LogSink | null): void {
  sinkSlot.cesLogSink = sink ?? undefined;
}

function write(level: LogLevel, msg: string, fields: LogFields = {}): void {
  if (LEVELS[level] < threshold()) return;
  const { err, ...rest } = fields;
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    msg: maskText(msg),
    ...(clean(rest) as LogFields),
    ...(err !== undefined ? { err: serialiseError(err) } : {}),
  });
  (sinkSlot.cesLogSink ?? ((text: string) => process.stdout.write(`${text}\n`)))(line);
}

export const log = {
  debug: (msg: string, fields?: LogFields) => write("debug", msg, fields),
  info: (msg: string, fields?: LogFields) => write("info", msg, fields),
  warn: (msg: string, fields?: LogFields) => write("warn", msg, fields),
  /** Pass the error as `err`: its name, message, code, stack and cause are logged. */
  error: (msg: string, fields?: LogFields) => write("error", msg, fields),
};

/** A new request id (for an error answer and its log line), or the one the proxy sent. */
export function newRequestId(incoming?: string | null): string {
  if (incoming && /^[A-Za-z0-9._:-]{8,128}$/.test(incoming)) return incoming;
  return randomUUID();
}
