import type { DayNumber } from "@/lib/days";
import type { Band } from "@/lib/scoring/bands";
import type { CallListId } from "./lists";
import { orderingFor, type OrderTerm } from "./ordering";
import { resolveManager, type CallListFilterQuery, type CallListQuery } from "./query";
import type { LifecycleStage } from "@/db/schema";

/** What the server filters by: the URL state with "my accounts" and "today" made concrete. */
export interface CallListFilterParams {
  /** One manager's book, or null for every manager's. */
  managerName: string | null;
  plan: string | null;
  region: string | null;
  industry: string | null;
  stage: LifecycleStage | null;
  /** Text looked for anywhere in the account name, case-insensitively; "" for none. */
  search: string;
  includeSnoozed: boolean;
  /** The UTC day that counts as today: for snoozes and the renewal window. */
  today: DayNumber;
}

export interface CallListParams extends CallListFilterParams {
  list: CallListId;
  band: Band | null;
  /** 40–80 list: only renewals within the renewal window. */
  renewalsOnly: boolean;
  order: OrderTerm[];
}

export interface CallListPageParams extends CallListParams {
  limit: number;
  offset: number;
}

export interface ResolveContext {
  /** The signed-in user's book (SessionUser.accountManagerName); null for users without one. */
  userBook: string | null;
  today: DayNumber;
}

export function resolveFilterParams(query: CallListFilterQuery, context: ResolveContext): CallListFilterParams {
  return {
    managerName: resolveManager(query.manager, context.userBook),
    plan: query.plan,
    region: query.region,
    industry: query.industry,
    stage: query.stage,
    search: query.q,
    includeSnoozed: query.showSnoozed,
    today: context.today,
  };
}

export function resolveListParams(query: CallListQuery, context: ResolveContext): CallListParams {
  return {
    ...resolveFilterParams(query, context),
    list: query.list,
    band: query.band,
    renewalsOnly: query.renewalsOnly,
    order: orderingFor(query.list, query.sort ? { key: query.sort, dir: query.dir } : null, { renewalsOnly: query.renewalsOnly }),
  };
}

export function resolvePageParams(query: CallListQuery, context: ResolveContext): CallListPageParams {
  return { ...resolveListParams(query, context), limit: query.pageSize, offset: (query.page - 1) * query.pageSize };
}
