import "server-only";
import { HttpError } from "@/lib/http/server/http";
import { outboundPolicyFromEnv, destinationUrlProblem } from "../outbound";
import { isRuleKind, type RuleKind } from "../rules";
import { destinationAddressProblem } from "./network";

/** What the alert route handlers share: ids from URL segments, and the URL policy check. */
export function requireNumericId(segment: string, what: string): number {
  if (!/^[1-9]\d{0,15}$/.test(segment)) throw new HttpError(404, "not_found", `There is no ${what} with id ${segment}.`);
  return Number(segment);
}

export function requireRuleKind(segment: string): RuleKind {
  if (!isRuleKind(segment)) throw new HttpError(404, "not_found", `There is no rule ${segment}.`);
  return segment;
}

/**
 * Refuses a destination URL the server would not call (https unless ALERTS_ALLOW_HTTP; no
 * loopback or private address unless ALERTS_ALLOW_PRIVATE_NETWORKS), naming the field.
 */
export function requireDestinationUrl(url: string): string {
  const policy = outboundPolicyFromEnv();
  const problem = destinationUrlProblem(url, policy) ?? destinationAddressProblem(url, policy);
  if (problem) throw new HttpError(400, "invalid_request", `url: ${problem}`, "url");
  return url;
}
