import { ComingSoon } from "@/components/coming-soon";

export const metadata = { title: "Accounts" };

export default function AccountsPage() {
  return <ComingSoon title="Accounts" what="Call lists by tier (80–100, 40–80, 1–40), score drops, trials and upsell candidates." />;
}
