"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, ROLES, type Role } from "@/lib/auth/roles";
import { createUserSchema, generatePassword } from "@/lib/auth/users-validation";
import { buttonClass } from "../button-styles";
import { FormAlert, PasswordField, SelectField, SubmitButton, TextField } from "../form-controls";
import { BookOptions } from "./book-options";
import { CredentialsPanel } from "./credentials-panel";
import { callApi } from "./users-api";

type Field = "name" | "email" | "role" | "accountManagerName" | "password";

interface Created {
  user: { id: string; name: string; email: string };
  password: string;
}

/** Creates a user with a first password; the administrator hands the sign-in details over. */
export function CreateUserForm({ books }: { books: readonly string[] }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [role, setRole] = useState<Role>("manager");
  const [password, setPassword] = useState("");
  const [created, setCreated] = useState<Created | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      role,
      accountManagerName: String(form.get("accountManagerName") ?? ""),
      password,
    };
    const parsed = createUserSchema.safeParse(values);
    if (!parsed.success) {
      const found: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] as Field | undefined;
        if (key && !found[key]) found[key] = issue.message;
      }
      setErrors(found);
      return;
    }
    setErrors({});
    setError(null);
    setPending(true);
    const outcome = await callApi<{ user: Created["user"] }>("POST", "/api/admin/users", parsed.data);
    setPending(false);
    if (outcome.ok) {
      setCreated({ user: outcome.data.user, password: parsed.data.password });
      return;
    }
    if (outcome.field === "name" || outcome.field === "email" || outcome.field === "role" || outcome.field === "accountManagerName" || outcome.field === "password") {
      setErrors({ [outcome.field]: outcome.message });
    } else {
      setError(outcome.message);
    }
  }

  if (created) {
    return (
      <div className="space-y-5">
        <FormAlert tone="success" title={`${created.user.name} can sign in now`}>
          Share these details with them in person or over a channel you trust. The password is shown only once; they can change it under
          &ldquo;Your account&rdquo;.
        </FormAlert>
        <CredentialsPanel email={created.user.email} password={created.password} />
        <div className="flex flex-wrap gap-2">
          <Link href="/admin/users" className={buttonClass("primary")}>
            Back to users
          </Link>
          <button
            type="button"
            className={buttonClass("secondary")}
            onClick={() => {
              setCreated(null);
              setPassword("");
            }}
          >
            Add another user
          </button>
        </div>
      </div>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Add user">
      {error ? <FormAlert>{error}</FormAlert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" name="name" autoComplete="off" required error={errors.name} />
        <TextField label="Email" name="email" type="email" autoComplete="off" required spellCheck={false} error={errors.email} />
      </div>

      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Role</legend>
        <div className="mt-1.5 grid gap-2 sm:grid-cols-3">
          {ROLES.map((r) => (
            <label
              key={r}
              className={`flex cursor-pointer flex-col rounded-lg border p-3 text-sm transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-blue-500/30 ${
                role === r ? "border-blue-500 bg-blue-50/60" : "border-slate-200 hover:border-slate-300"
              }`}
            >
              <span className="flex items-center gap-2 font-medium text-slate-900">
                <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} className="size-4 text-blue-600" />
                {ROLE_LABELS[r]}
              </span>
              <span className="mt-1 text-xs text-slate-500">{ROLE_DESCRIPTIONS[r]}</span>
            </label>
          ))}
        </div>
        {errors.role ? <p className="mt-1.5 text-sm text-red-700">{errors.role}</p> : null}
      </fieldset>

      <SelectField
        label="Book of accounts"
        name="accountManagerName"
        defaultValue=""
        hint="The account manager whose accounts this person works; “My accounts” opens on them."
        error={errors.accountManagerName}
      >
        <BookOptions books={books} />
      </SelectField>

      <PasswordField
        label="First password"
        name="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        hint="At least 10 characters. You will see it once more after saving, to hand over."
        error={errors.password}
        trailing={
          <button type="button" onClick={() => setPassword(generatePassword())} className="text-xs font-medium text-blue-700 hover:underline">
            Generate a strong password
          </button>
        }
      />

      <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-5">
        <SubmitButton pending={pending} pendingText="Adding…">
          Add user
        </SubmitButton>
        <Link href="/admin/users" className={buttonClass("secondary")}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
