import { ComingSoon } from "@/components/coming-soon";

export const metadata = { title: "Admin" };

export default function AdminPage() {
  return <ComingSoon title="Admin" what="Event weights with a what-if preview, scoring settings, users, write keys and imports." />;
}
