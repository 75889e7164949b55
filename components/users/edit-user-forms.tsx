"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { isRole, ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";
import { generatePassword, passwordSchema, updateUserSchema } from "@/lib/auth/users-validation";
import { buttonClass } from "../button-styles";
import { FormAlert, PasswordField, SelectField, SubmitButton, TextField } from "../form-controls";
import { BookOptions } from "./book-options";
import { CredentialsPanel } from "./credentials-panel";
import { callApi } from "./users-api";

export interface EditableUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  accountManagerName: string | null;
  active: boolean;
}

type DetailsField = "name" | "role" | "accountManagerName";

/** Name, role and book; saved together, each change audited on the server. */
export function UserDetailsForm({ user, books }: { user: EditableUser; books: readonly string[] }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [errors, setErrors] = useState<Partial<Record<DetailsField, string>>>({});
  const [role, setRole] = useState<Role>(user.role);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = updateUserSchema.safeParse({
      name: String(form.get("name") ?? ""),
      role: String(form.get("role") ?? ""),
      accountManagerName: String(form.get("accountManagerName") ?? ""),
    });
    setResult(null);
    if (!parsed.success) {
      const found: Partial<Record<DetailsField, string>> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] as DetailsField | undefined;
        if (key && !found[key]) found[key] = issue.message;
      }
      setErrors(found);
      return;
    }
    setErrors({});
    setPending(true);
    const outcome = await callApi("PATCH", `/api/admin/users/${encodeURIComponent(user.id)}`, parsed.data);
    setPending(false);
    if (outcome.ok) {
      setResult({ tone: "success", text: "Saved." });
      router.refresh();
    } else if (outcome.field === "name" || outcome.field === "role" || outcome.field === "accountManagerName") {
      setErrors({ [outcome.field]: outcome.message });
    } else {
      setResult({ tone: "error", text: outcome.message });
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Role and book">
      {result ? <FormAlert tone={result.tone}>{result.text}</FormAlert> : null}
      <TextField label="Name" name="name" defaultValue={user.name} autoComplete="off" error={errors.name} />
      <SelectField label="Role" name="role" value={role} onChange={(e) => setRole(isRole(e.target.value) ? e.target.value : role)} error={errors.role} hint={ROLE_DESCRIPTIONS[role]}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Book of accounts" name="accountManagerName" defaultValue={user.accountManagerName ?? ""} error={errors.accountManagerName}>
        <BookOptions books={books} current={user.accountManagerName} />
      </SelectField>
      <SubmitButton pending={pending} pendingText="Saving…">
        Save changes
      </SubmitButton>
    </form>
  );
}

/** An administrator sets a new password; the user is signed out everywhere. */
export function ResetPasswordForm({ user }: { user: EditableUser }) {
  const [password, setPassword] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = passwordSchema.safeParse(password);
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? "Choose another password");
      return;
    }
    setError(null);
    setPending(true);
    const outcome = await callApi("POST", `/api/admin/users/${encodeURIComponent(user.id)}/password`, { password });
    setPending(false);
    if (outcome.ok) {
      setDone(password);
      setPassword("");
    } else {
      setError(outcome.message);
    }
  }

  if (done) {
    return (
      <div className="space-y-4">
        <FormAlert tone="success" title="Password reset">
          {user.name} is signed out everywhere and can sign in with the new password.
        </FormAlert>
        <CredentialsPanel email={user.email} password={done} />
        <button type="button" onClick={() => setDone(null)} className={buttonClass("secondary")}>
          Done
        </button>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Reset password">
      <PasswordField
        label="New password"
        name="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={error ?? undefined}
        hint="At least 10 characters. The user is signed out of every device."
        trailing={
          <button type="button" onClick={() => setPassword(generatePassword())} className="text-xs font-medium text-blue-700 hover:underline">
            Generate
          </button>
        }
      />
      <SubmitButton pending={pending} pendingText="Resetting…" variant="secondary">
        Reset password
      </SubmitButton>
    </form>
  );
}

/** Deactivate (with a confirmation step) or reactivate. */
export function AccessControl({ user, isSelf }: { user: EditableUser; isSelf: boolean }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function setActive(active: boolean) {
    setPending(true);
    setError(null);
    const outcome = await callApi("PATCH", `/api/admin/users/${encodeURIComponent(user.id)}`, { active });
    setPending(false);
    setConfirming(false);
    if (outcome.ok) router.refresh();
    else setError(outcome.message);
  }

  if (!user.active) {
    return (
      <div className="space-y-3">
        {error ? <FormAlert>{error}</FormAlert> : null}
        <p className="text-sm text-slate-600">{user.name} cannot sign in. Reactivating lets them sign in again with their current password.</p>
        <button type="button" disabled={pending} onClick={() => setActive(true)} className={buttonClass("secondary")}>
          {pending ? "Reactivating…" : "Reactivate user"}
        </button>
      </div>
    );
  }

  return (
    <div className="space-y-3">
      {error ? <FormAlert>{error}</FormAlert> : null}
      <p className="text-sm text-slate-600">
        A deactivated user cannot sign in and is signed out of every device at once. Their history stays in the audit log.
      </p>
      {isSelf ? (
        <p className="text-sm text-slate-500">You cannot deactivate yourself.</p>
      ) : confirming ? (
        <div className="rounded-lg border border-red-200 bg-red-50 p-3">
          <p className="text-sm font-medium text-red-800">Deactivate {user.name}?</p>
          <div className="mt-3 flex flex-wrap gap-2">
            <button type="button" disabled={pending} onClick={() => setActive(false)} className={buttonClass("danger")}>
              {pending ? "Deactivating…" : "Yes, deactivate"}
            </button>
            <button type="button" disabled={pending} onClick={() => setConfirming(false)} className={buttonClass("secondary")}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)} className={buttonClass("danger-outline")}>
          Deactivate user
        </button>
      )}
    </div>
  );
}
