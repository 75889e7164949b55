"use client";

import { useRef, useState, type FormEvent } from "react";
import { passwordSchema } from "@/lib/auth/users-validation";
import { FormAlert, PasswordField, SubmitButton } from "../form-controls";
import { changePassword } from "./auth-api";

type Field = "current" | "next" | "confirm";

export function ChangePasswordForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const current = String(form.get("current") ?? "");
    const next = String(form.get("next") ?? "");
    const confirm = String(form.get("confirm") ?? "");
    const revokeOthers = form.get("revokeOthers") === "on";
    const found: Partial<Record<Field, string>> = {};
    if (!current) found.current = "Enter your current password";
    const checked = passwordSchema.safeParse(next);
    if (!checked.success) found.next = checked.error.issues[0]?.message ?? "Choose another password";
    else if (next === current) found.next = "Choose a password different from the current one";
    if (confirm !== next) found.confirm = "The passwords do not match";
    setErrors(found);
    setResult(null);
    if (Object.keys(found).length > 0) return;

    setPending(true);
    const outcome = await changePassword(current, next, revokeOthers);
    setPending(false);
    if (outcome.ok) {
      formRef.current?.reset();
      setResult({ tone: "success", text: revokeOthers ? "Password changed. Your other devices are signed out." : "Password changed." });
    } else if (outcome.code === "INVALID_PASSWORD") {
      setErrors({ current: "That is not your current password" });
    } else {
      setResult({ tone: "error", text: outcome.message });
    }
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Change password">
      {result ? <FormAlert tone={result.tone}>{result.text}</FormAlert> : null}
      <PasswordField label="Current password" name="current" autoComplete="current-password" error={errors.current} />
      <PasswordField label="New password" name="next" autoComplete="new-password" hint="At least 10 characters." error={errors.next} />
      <PasswordField label="Confirm new password" name="confirm" autoComplete="new-password" error={errors.confirm} />
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="revokeOthers" defaultChecked className="size-4 rounded border-slate-300 text-blue-600" />
        Sign out of my other devices
      </label>
      <SubmitButton pending={pending} pendingText="Changing…">
        Change password
      </SubmitButton>
    </form>
  );
}
