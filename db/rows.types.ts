import type { Column, Columns } from "./rows";
import type * as schema from "./schema";

/**
 * Compile-time check of db/rows.ts: a row type derived from the schema is what raw SQL reads
 * back (docs/adr/0015, decision 3), not drizzle's mapped types. Each line fails
 * `npm run typecheck` if the mapping (or the column) changes.
 */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** A boolean-mode flag reads as 0/1. */
export const flagsAreNumbers: Same<Columns<typeof schema.accountScores, "declining">, { declining: number }> = true;
/** A timestamp_ms instant reads as milliseconds, nullable where the column is. */
export const instantsAreMillis: Same<Column<typeof schema.users, "deactivatedAt">, number | null> = true;
/** A JSON-mode column reads as its stored text. */
export const jsonIsText: Same<Column<typeof schema.auditLog, "details">, string> = true;
/** A text enum reads as its union. */
export const bandsAreTheUnion: Same<Column<typeof schema.scoreTransitions, "newBand">, "churn_risk" | "low" | "medium" | "high" | "power"> = true;
/** Plain columns keep drizzle's type. */
export const plainColumnsStay: Same<Columns<typeof schema.accounts, "id" | "plan">, { id: number; plan: string | null }> = true;
