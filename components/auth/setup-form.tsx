"use client";

import { useState, type FormEvent } from "react";
import { setupSchema } from "@/lib/auth/users-validation";
import { FormAlert, PasswordField, SubmitButton, TextField } from "../form-controls";
import { reloadAt, signIn } from "./auth-api";

type Field = "name" | "email" | "password" | "confirm";

/** Creates the first administrator, then signs them in. */
export function SetupForm() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
    const confirm = String(form.get("confirm") ?? "");
    const parsed = setupSchema.safeParse(values);
    const errors: Partial<Record<Field, string>> = {};
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = issue.path[0];
        if ((key === "name" || key === "email" || key === "password") && !errors[key]) errors[key] = issue.message;
      }
    }
    if (confirm !== values.password) errors.confirm = "The passwords do not match";
    setFieldErrors(errors);
    if (!parsed.success || errors.confirm) return;

    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/setup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(parsed.data),
      });
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => null);
        const message =
          typeof body === "object" && body !== null && "error" in body && typeof body.error === "object" && body.error !== null && "message" in body.error
            ? String(body.error.message)
            : `Setup failed (HTTP ${response.status}).`;
        if (response.status === 409) {
          reloadAt("/sign-in");
          return;
        }
        setError(message);
        setPending(false);
        return;
      }
    } catch {
      setError("Could not reach the server. Check your connection and try again.");
      setPending(false);
      return;
    }
    const signedIn = await signIn(parsed.data.email, parsed.data.password);
    // The first administrator starts at the setup checklist.
    reloadAt(signedIn.ok ? "/admin" : "/sign-in");
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Create the first administrator">
      {error ? <FormAlert>{error}</FormAlert> : null}
      <TextField label="Your name" name="name" autoComplete="name" required autoFocus error={fieldErrors.name} />
      <TextField label="Work email" name="email" type="email" autoComplete="username" required inputMode="email" spellCheck={false} error={fieldErrors.email} />
      <PasswordField label="Password" name="password" autoComplete="new-password" required hint="At least 10 characters." error={fieldErrors.password} />
      <PasswordField label="Confirm password" name="confirm" autoComplete="new-password" required error={fieldErrors.confirm} />
      <SubmitButton pending={pending} pendingText="Creating…" className="w-full">
        Create administrator
      </SubmitButton>
    </form>
  );
}
