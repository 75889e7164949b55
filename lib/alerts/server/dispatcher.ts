import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { outboundPolicyFromEnv, OUTBOUND_TIMEOUT_MS, type OutboundPolicy } from "../outbound";
import { getDestination } from "./destinations";
import { getEmailSettings } from "./email-settings";
import { claimDue, recordAttempt, type AttemptResult, type ClaimedMessage } from "./outbox";
import { sendEmail, sendSlack, sendWebhook } from "./senders";

/**
 * Delivers the outbox: claims due messages (a few per destination at a time), sends each on
 * its own — a slow or dead endpoint holds only its own slots while the others go on — and
 * records every attempt. Never inside a database transaction: a request may take seconds.
 */
export interface DispatcherOptions {
  owner: string;
  /** Messages in flight per destination (default 8): a burst to one receiver goes out in parallel. */
  perTarget?: number;
  /** Messages in flight in this process. */
  maxInFlight?: number;
  timeoutMs?: number;
  /** How long a claim holds (default: three timeouts and half a minute). */
  leaseMs?: number;
  policy?: OutboundPolicy;
  /** Runs the dispatcher's database work (claims, attempt records) within the worker's share of the event loop, on the handle it is given. */
  throttle?: <T>(work: (db: Db) => Promise<T>) => Promise<T>;
}

const POSTPONE_DISABLED_MS = 5 * 60 * 1000;

export class Dispatcher {
  private inFlight = new Set<Promise<void>>();
  private claiming: Promise<number> | null = null;
  private draining = false;
  private again = false;
  /** Whether the next tick claims the most recently due messages first (ticks alternate, see claimDue). */
  private newestFirst = false;
  private readonly perTarget: number;
  private readonly maxInFlight: number;
  private readonly timeoutMs: number;
  private readonly policy: OutboundPolicy;

  constructor(
    private readonly db: Db,
    private readonly options: DispatcherOptions,
  ) {
    this.perTarget = options.perTarget ?? 8;
    this.maxInFlight = options.maxInFlight ?? 32;
    this.timeoutMs = options.timeoutMs ?? OUTBOUND_TIMEOUT_MS;
    this.policy = options.policy ?? outboundPolicyFromEnv();
  }

  private readonly unthrottled = <T>(work: (db: Db) => Promise<T>): Promise<T> => work(this.db);

  get busy(): number {
    return this.inFlight.size;
  }

  /**
   * Claims what is due and starts sending it; returns how many messages it started. Calls that
   * overlap share one claim (and one more runs after it), so a burst of completions claims once.
   * Ticks claim oldest first and newest first in turns: an alert that just fired goes out within
   * a tick or two even behind a backlog to the same endpoint, and the backlog keeps moving.
   */
  async tick(now?: number): Promise<number> {
    if (this.claiming) {
      this.again = true;
      return this.claiming;
    }
    const newestFirst = this.newestFirst;
    this.newestFirst = !newestFirst;
    this.claiming = this.claim(now ?? Date.now(), newestFirst).finally(() => {
      this.claiming = null;
      if (this.again) {
        this.again = false;
        void this.tick().catch((error: unknown) => console.error("[alerts] claiming due messages failed", error));
      }
    });
    return this.claiming;
  }

  private async claim(now: number, newestFirst: boolean): Promise<number> {
    const room = this.maxInFlight - this.inFlight.size;
    if (room <= 0) return 0;
    const throttle = this.options.throttle ?? this.unthrottled;
    const claimed = await throttle((db) =>
      claimDue(db, {
        owner: this.options.owner,
        now,
        // Longer than one attempt can take (timeout plus recording), so a live worker keeps its claim.
        leaseMs: this.options.leaseMs ?? this.timeoutMs * 3 + 30_000,
        perTarget: this.perTarget,
        limit: room,
        newestFirst,
      }),
    );
    for (const message of claimed) {
      const delivery = this.deliver(message).catch((error: unknown) => {
        // The attempt could not even be recorded (database gone): the lease runs out and the message is retried.
        console.error(`[alerts] delivery of ${message.messageId} (${message.channel} ${message.target}) failed to record`, error);
      });
      this.inFlight.add(delivery);
      // A finished delivery frees a slot of its destination: claim the next one at once rather
      // than at the next tick, so a burst to one endpoint goes out as fast as it answers.
      void delivery.finally(() => {
        this.inFlight.delete(delivery);
        if (!this.draining) void this.tick().catch((error: unknown) => console.error("[alerts] claiming due messages failed", error));
      });
    }
    return claimed.length;
  }

  /** Waits until every delivery started so far is recorded, starting no new ones. */
  async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.inFlight.size > 0 || this.claiming) await Promise.all([...this.inFlight, this.claiming]);
    } finally {
      this.draining = false;
    }
  }

  /** Sends what is due at `now` and waits for those attempts (tests, scripts). */
  async runOnce(now = Date.now()): Promise<number> {
    this.draining = true;
    try {
      const started = await this.claim(now, false);
      while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
      return started;
    } finally {
      this.draining = false;
    }
  }

  private async deliver(message: ClaimedMessage): Promise<void> {
    const result = await this.attempt(message);
    if (result === "postponed") return;
    const throttle = this.options.throttle ?? this.unthrottled;
    await throttle((db) => recordAttempt(db, { message, owner: this.options.owner, result, now: Date.now() }));
  }

  private async attempt(message: ClaimedMessage): Promise<AttemptResult | "postponed"> {
    const context = { policy: this.policy, timeoutMs: this.timeoutMs };
    if (message.channel === "email") return sendEmail(await getEmailSettings(this.db), message, context);
    const destination = await getDestination(this.db, { id: Number(message.target) });
    if (!destination || destination.kind !== message.channel) {
      return { ok: false, statusCode: null, error: "The destination was deleted.", responseExcerpt: null, durationMs: 0, retryAfterMs: null, permanent: true };
    }
    if (!destination.enabled) {
      // A paused destination keeps its messages; they go out when it is switched on again.
      await this.db.run(sql`UPDATE outbox SET next_attempt_at = ${Date.now() + POSTPONE_DISABLED_MS}, lease_until = NULL, lease_owner = NULL
        WHERE id = ${message.id} AND lease_owner = ${this.options.owner}`);
      return "postponed";
    }
    return destination.kind === "webhook" ? sendWebhook(destination, message, context) : sendSlack(destination, message, context);
  }
}
