"use client";

import { useState, type FormEvent } from "react";
import { FormAlert, PasswordField, SubmitButton, TextField } from "../form-controls";
import { reloadAt, signIn } from "./auth-api";

/** Email + password; on success a full page load of where the user was going. */
export function SignInForm({ returnTo }: { returnTo: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!email || !password) {
      setError("Enter your email and password.");
      return;
    }
    setPending(true);
    setError(null);
    const result = await signIn(email, password);
    if (result.ok) {
      reloadAt(returnTo);
      return;
    }
    setError(result.message);
    setPending(false);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Sign in">
      {error ? <FormAlert>{error}</FormAlert> : null}
      <TextField label="Email" name="email" type="email" autoComplete="username" required autoFocus inputMode="email" spellCheck={false} />
      <PasswordField label="Password" name="password" autoComplete="current-password" required />
      <SubmitButton pending={pending} pendingText="Signing in…" className="w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
