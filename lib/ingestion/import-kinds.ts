/** What a CSV import can hold (no Node APIs here: the admin page's browser code uses it). */
export const IMPORT_KINDS = ["accounts", "events", "outcomes"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export function isImportKind(value: unknown): value is ImportKind {
  return typeof value === "string" && (IMPORT_KINDS as readonly string[]).includes(value);
}

/** Example files for the admin page's "download a template" links. */
export const CSV_TEMPLATES: Record<ImportKind, string> = {
  accounts:
    "id,name,plan,industry,region,account_manager,renewal_date,arr,lifecycle_stage,signup_date,trial_end_date,tags,user_ids\n" +
    "acme,Acme Inc,Enterprise,Manufacturing,EMEA,Dana Scully,2027-03-31,120000,customer,2024-01-15,,strategic;beta,alice;bob\n",
  events: "account_id,user_id,event,timestamp,quantity,message_id\nacme,alice,Report Created,2026-11-20T09:30:00Z,1,evt-0001\n",
  outcomes:
    "account_id,renewal_date,outcome,arr_before,arr_after\n" +
    "acme,2026-03-31,expanded,100000,120000\n" +
    "globex,2026-04-30,churned,24000,0\n",
};
