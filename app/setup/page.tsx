import { connection } from "next/server";
import { AuthFrame } from "@/components/auth/auth-frame";
import { SetupForm } from "@/components/auth/setup-form";

export const metadata = { title: "Set up" };

/** First run only: the root layout sends everyone here while there are no users, and away after. */
export default async function SetupPage() {
  await connection();
  return (
    <AuthFrame
      title="Create the first administrator"
      subtitle="Welcome! Nobody has an account yet. The administrator you create now can add your team, set roles and tune the score."
      footer={
        <>
          You can also create an administrator from the command line:{" "}
          <code className="whitespace-nowrap rounded bg-slate-100 px-1 py-0.5 font-mono text-slate-700">npm run create-admin</code>
        </>
      }
    >
      <SetupForm />
    </AuthFrame>
  );
}
