import { connection } from "next/server";
import { AuthFrame } from "@/components/auth/auth-frame";
import { SignInForm } from "@/components/auth/sign-in-form";
import { safeReturnPath } from "@/lib/auth/access";

export const metadata = { title: "Sign in" };

/** Signed-in visitors and a fresh install (no users) are redirected by the root layout. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const { next } = await searchParams;
  const returnTo = safeReturnPath(typeof next === "string" ? next : null);
  return (
    <AuthFrame
      title="Sign in"
      subtitle="Welcome back. Sign in to see your accounts' engagement."
      footer="Forgot your password? Ask an administrator to set a new one."
    >
      <SignInForm returnTo={returnTo} />
    </AuthFrame>
  );
}
