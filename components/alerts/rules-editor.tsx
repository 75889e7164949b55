"use client";

import { useQuery } from "@tanstack/react-query";
import { rulesOptions } from "@/lib/alerts/query-options";
import { ErrorBlock, LoadingBlock } from "../query-state";
import { RuleCard } from "./rule-card";

/** Every built-in rule, each its own card with its own Save. */
export function RulesEditor() {
  const rules = useQuery(rulesOptions());
  if (rules.isPending) return <LoadingBlock label="Loading the rules…" />;
  if (rules.isError) return <ErrorBlock error={rules.error} onRetry={() => void rules.refetch()} />;
  const { destinations, facets } = rules.data;
  return (
    <div className="space-y-4">
      {rules.data.rules.map((stored) => (
        <RuleCard key={`${stored.rule.kind}-${stored.updatedAt ?? 0}`} stored={stored} destinations={destinations} facets={facets} />
      ))}
    </div>
  );
}
