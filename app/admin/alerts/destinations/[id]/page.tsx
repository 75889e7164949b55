import { connection } from "next/server";
import { notFound } from "next/navigation";
import { DeliveryLog } from "@/components/alerts/delivery-log";
import { getDb } from "@/db";
import { getDestination } from "@/lib/alerts/server/destinations";
import { redactedUrl } from "@/lib/alerts/outbound";
import { requirePageUser } from "@/lib/auth/server/authz";

export const metadata = { title: "Delivery log" };

export default async function DeliveryLogPage(props: PageProps<"/admin/alerts/destinations/[id]">) {
  await connection();
  await requirePageUser("/admin/alerts/destinations/*");
  const { id } = await props.params;
  const numeric = /^[1-9]\d{0,15}$/.test(id) ? Number(id) : null;
  const destination = numeric === null ? null : await getDestination(await getDb(), { id: numeric });
  if (!destination || numeric === null) notFound();
  return <DeliveryLog destination={{ id: numeric, name: destination.name, kind: destination.kind, url: redactedUrl(destination.url) }} />;
}
