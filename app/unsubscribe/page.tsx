import { connection } from "next/server";
import { AuthFrame } from "@/components/auth/auth-frame";
import { UnsubscribeForm } from "@/components/notifications/unsubscribe-form";
import { getDb } from "@/db";
import { unsubscribeTarget, UNSUBSCRIBE_LISTS, type UnsubscribeList } from "@/lib/alerts/server/email-settings";

export const metadata = { title: "Unsubscribe" };

function listOf(value: string | string[] | undefined): UnsubscribeList {
  return UNSUBSCRIBE_LISTS.find((list) => list === value) ?? "all";
}

/**
 * The page an email's unsubscribe link opens, signed in or not: the token in the link says
 * whose email it is. Nothing changes until the button is pressed (mail scanners open links).
 */
export default async function UnsubscribePage(props: PageProps<"/unsubscribe">) {
  await connection();
  const params = await props.searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const target = token.length >= 10 && token.length <= 100 ? await unsubscribeTarget(await getDb(), { token }) : null;
  return (
    <AuthFrame title="Email from the engagement dashboard" subtitle={target ? `For ${target.email}` : undefined}>
      {target ? (
        <UnsubscribeForm token={token} list={listOf(params.list)} digest={target.digest} immediate={target.immediate} />
      ) : (
        <p role="alert" className="text-sm text-slate-700">
          This unsubscribe link is incomplete or no longer valid. Sign in and choose what you receive under <strong>Your account → Email</strong>.
        </p>
      )}
    </AuthFrame>
  );
}
