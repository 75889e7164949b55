import { ComingSoon } from "@/components/coming-soon";

export const metadata = { title: "Segments" };

export default function SegmentsPage() {
  return <ComingSoon title="Segments" what="Compare plans, regions, industries, account managers and signup cohorts side by side." />;
}
