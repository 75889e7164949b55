import { ComingSoon } from "@/components/coming-soon";

export const metadata = { title: "Trends" };

export default function TrendsPage() {
  return <ComingSoon title="Trends" what="Score trends over 12 months with change markers, and before/after analysis of a change." />;
}
