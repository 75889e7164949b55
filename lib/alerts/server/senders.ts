import "server-only";
import nodemailer from "nodemailer";
import { Webhook } from "standardwebhooks";
import { z } from "zod";
import { parseRetryAfter } from "../backoff";
import { destinationUrlProblem, MAX_PAYLOAD_BYTES, MAX_RESPONSE_EXCERPT_BYTES, OUTBOUND_TIMEOUT_MS, redactedUrl, type OutboundPolicy } from "../outbound";
import type { Destination } from "./destinations";
import { destinationAddressProblem, postOutbound, PRIVATE_ADDRESS_CODE } from "./network";
import type { EmailSettings } from "./email-settings";
import type { AttemptResult } from "./outbox";

/**
 * One delivery attempt per channel, bounded: a timeout for the whole exchange, no redirects
 * followed, https unless allowed, a payload size limit and at most a couple of KB of the answer
 * read. Failures come back as sentences an admin can act on.
 */
const USER_AGENT = "CES-Webhooks/1.0 (+https://www.standardwebhooks.com)";

export interface SendContext {
  policy: OutboundPolicy;
  timeoutMs?: number;
}

/** A network failure in words: timeouts, refused connections, DNS, TLS. */
export function describeNetworkError(error: unknown, url: string, timeoutMs: number): string {
  const where = redactedUrl(url);
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `No answer within ${timeoutMs / 1000} s from ${where}.`;
  if (error instanceof Error && "code" in error && error.code === PRIVATE_ADDRESS_CODE) return `Refused to connect: ${error.message}`;
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error instanceof Error ? error : null;
  const code = cause && "code" in cause && typeof cause.code === "string" ? cause.code : null;
  switch (code) {
    case "ECONNREFUSED":
      return `Connection refused by ${where}: nothing listens there.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `The host of ${where} could not be found (DNS).`;
    case "ECONNRESET":
      return `${where} closed the connection before answering.`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `${where} cannot be reached from this server.`;
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return `No answer within ${timeoutMs / 1000} s from ${where}.`;
    default:
      if (code && /CERT|SSL|TLS/.test(code)) return `The TLS certificate of ${where} was refused (${code}).`;
      return `Could not reach ${where}: ${cause?.message ?? String(error)}${code ? ` (${code})` : ""}.`;
  }
}

function headerText(value: string | string[] | undefined): string | null {
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

interface PostParams {
  url: string;
  body: string;
  headers: Record<string, string>;
  context: SendContext;
}

async function post({ url, body, headers, context }: PostParams): Promise<AttemptResult> {
  const started = performance.now();
  const timeoutMs = context.timeoutMs ?? OUTBOUND_TIMEOUT_MS;
  const elapsed = () => Math.round(performance.now() - started);
  const problem = destinationUrlProblem(url, context.policy);
  if (problem) return { ok: false, statusCode: null, error: `The URL ${problem}.`, responseExcerpt: null, durationMs: 0, retryAfterMs: null, permanent: true };
  if (Buffer.byteLength(body) > MAX_PAYLOAD_BYTES) {
    return { ok: false, statusCode: null, error: `The message is larger than ${MAX_PAYLOAD_BYTES / 1024} KB.`, responseExcerpt: null, durationMs: 0, retryAfterMs: null, permanent: true };
  }
  const addressProblem = destinationAddressProblem(url, context.policy);
  if (addressProblem) return { ok: false, statusCode: null, error: `The URL ${addressProblem}.`, responseExcerpt: null, durationMs: 0, retryAfterMs: null };
  try {
    const response = await postOutbound(new URL(url), body, { "content-type": "application/json", "user-agent": USER_AGENT, ...headers }, context.policy, timeoutMs);
    const excerpt = response.excerpt;
    const statusCode = response.status;
    if (statusCode >= 200 && statusCode < 300) return { ok: true, statusCode, error: null, responseExcerpt: excerpt || null, durationMs: elapsed(), retryAfterMs: null };
    const error =
      statusCode >= 300 && statusCode < 400
        ? `The receiver answered ${statusCode} (a redirect to ${headerText(response.headers.location) ?? "?"}); redirects are not followed: use the final URL.`
        : `The receiver answered ${statusCode}${response.statusText ? ` ${response.statusText}` : ""}.`;
    return { ok: false, statusCode, error, responseExcerpt: excerpt || null, durationMs: elapsed(), retryAfterMs: parseRetryAfter(headerText(response.headers["retry-after"]), Date.now()) };
  } catch (error) {
    return { ok: false, statusCode: null, error: describeNetworkError(error, url, timeoutMs), responseExcerpt: null, durationMs: elapsed(), retryAfterMs: null };
  }
}

/** A Standard Webhooks delivery: webhook-id (the stable message id), webhook-timestamp and the HMAC signature. */
export async function sendWebhook(destination: Destination, message: { messageId: string; payload: string }, context: SendContext): Promise<AttemptResult> {
  if (!destination.secret) return { ok: false, statusCode: null, error: "The endpoint has no signing secret.", responseExcerpt: null, durationMs: 0, retryAfterMs: null, permanent: true };
  const timestamp = new Date();
  const signature = new Webhook(destination.secret).sign(message.messageId, timestamp, message.payload);
  return post({
    url: destination.url,
    body: message.payload,
    headers: { "webhook-id": message.messageId, "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)), "webhook-signature": signature },
    context,
  });
}

/** A Slack incoming webhook: the message's JSON as it is. */
export async function sendSlack(destination: Destination, message: { payload: string }, context: SendContext): Promise<AttemptResult> {
  return post({ url: destination.url, body: message.payload, headers: {}, context });
}

export const emailPayloadSchema = z.object({
  to: z.string(),
  toName: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  unsubscribeUrl: z.string(),
  oneClickUrl: z.string(),
});

/** SMTP through nodemailer, with the admin's settings. STARTTLS is required unless the mode is "none" (allowed only where plain connections are). */
export async function sendEmail(settings: EmailSettings, message: { messageId: string; payload: string }, context: SendContext): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeoutMs = context.timeoutMs ?? OUTBOUND_TIMEOUT_MS;
  if (!settings.smtpHost || !settings.fromAddress) {
    return { ok: false, statusCode: null, error: "Email is not set up (Admin → Alerts → Email).", responseExcerpt: null, durationMs: 0, retryAfterMs: null };
  }
  if (settings.smtpSecurity === "none" && !context.policy.allowInsecure) {
    return { ok: false, statusCode: null, error: "SMTP without TLS is allowed only when the server sets ALERTS_ALLOW_HTTP=true.", responseExcerpt: null, durationMs: 0, retryAfterMs: null };
  }
  const parsed = emailPayloadSchema.safeParse(JSON.parse(message.payload));
  if (!parsed.success) return { ok: false, statusCode: null, error: "The queued email is unreadable.", responseExcerpt: null, durationMs: 0, retryAfterMs: null, permanent: true };
  const email = parsed.data;
  const transport = nodemailer.createTransport({
    host: settings.smtpHost,
    port: settings.smtpPort,
    secure: settings.smtpSecurity === "tls",
    requireTLS: settings.smtpSecurity === "starttls",
    ignoreTLS: settings.smtpSecurity === "none",
    auth: settings.smtpUsername ? { user: settings.smtpUsername, pass: settings.smtpPassword ?? "" } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: settings.fromAddress,
      to: { name: email.toName, address: email.to },
      subject: email.subject,
      text: email.text,
      html: email.html,
      // The stable id: a receiving system sees a repeat delivery as the same message.
      messageId: `<${message.messageId}@ces.alerts>`,
      list: { unsubscribe: { url: email.oneClickUrl, comment: "Unsubscribe" } },
      headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
    return { ok: true, statusCode: null, error: null, responseExcerpt: info.response.slice(0, MAX_RESPONSE_EXCERPT_BYTES), durationMs: elapsed(), retryAfterMs: null };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const code = error instanceof Error && "responseCode" in error && typeof error.responseCode === "number" ? error.responseCode : null;
    return { ok: false, statusCode: code, error: `SMTP (${settings.smtpHost}:${settings.smtpPort}): ${text}`, responseExcerpt: null, durationMs: elapsed(), retryAfterMs: null };
  } finally {
    transport.close();
  }
}
