"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { emailSettingsSchema } from "@/lib/alerts/schemas";
import type { PublicEmailSettings } from "@/lib/alerts/server/email-settings";
import { ApiRequestError } from "@/lib/http/api-client";
import { formatDateTime } from "@/lib/format";
import { useSaveEmailSettings, useSendDigests, useTestEmail } from "@/lib/alerts/mutations";
import { emailSettingsOptions } from "@/lib/alerts/query-options";
import { buttonClass } from "../button-styles";
import { Card } from "../card";
import { FormAlert, SelectField, TextField } from "../form-controls";
import { ErrorBlock, LoadingBlock } from "../query-state";

const SECURITY_LABELS = { starttls: "STARTTLS (port 587, required)", tls: "TLS (port 465)", none: "None (plain; only where allowed)" } as const;

function SettingsForm({ settings }: { settings: PublicEmailSettings }) {
  const [form, setForm] = useState({
    smtpHost: settings.smtpHost ?? "",
    smtpPort: String(settings.smtpPort),
    smtpSecurity: settings.smtpSecurity,
    smtpUsername: settings.smtpUsername ?? "",
    smtpPassword: "",
    removePassword: false,
    fromAddress: settings.fromAddress ?? "",
    digestHourUtc: String(settings.digestHourUtc),
  });
  const [problem, setProblem] = useState<{ field?: string; message: string } | null>(null);
  const save = useSaveEmailSettings();
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const errorOf = (field: string) => (problem?.field === field ? problem.message : undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input = {
      smtpHost: form.smtpHost,
      smtpPort: Number(form.smtpPort),
      smtpSecurity: form.smtpSecurity,
      smtpUsername: form.smtpUsername,
      smtpPassword: form.removePassword ? "" : form.smtpPassword === "" ? undefined : form.smtpPassword,
      fromAddress: form.fromAddress,
      digestHourUtc: Number(form.digestHourUtc),
    };
    const parsed = emailSettingsSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setProblem({ field: String(issue?.path[0] ?? ""), message: issue?.message ?? "is invalid" });
      return;
    }
    setProblem(null);
    save.mutate(input, {
      onSuccess: () => set({ smtpPassword: "", removePassword: false }),
      onError: (error) => setProblem({ field: error instanceof ApiRequestError ? error.field : undefined, message: error.message.replace(/^\w+: /, "") }),
    });
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="SMTP settings">
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_7rem]">
        <TextField label="SMTP server" value={form.smtpHost} onChange={(e) => set({ smtpHost: e.target.value })} placeholder="smtp.example.com" error={errorOf("smtpHost")} autoComplete="off" />
        <TextField label="Port" value={form.smtpPort} onChange={(e) => set({ smtpPort: e.target.value })} inputMode="numeric" error={errorOf("smtpPort")} />
      </div>
      <SelectField label="Encryption" value={form.smtpSecurity} onChange={(e) => set({ smtpSecurity: e.target.value === "tls" ? "tls" : e.target.value === "none" ? "none" : "starttls" })} error={errorOf("smtpSecurity")}>
        {(["starttls", "tls", "none"] as const).map((s) => (
          <option key={s} value={s}>
            {SECURITY_LABELS[s]}
          </option>
        ))}
      </SelectField>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="User name" value={form.smtpUsername} onChange={(e) => set({ smtpUsername: e.target.value })} autoComplete="off" hint="Leave empty for a server without sign-in." error={errorOf("smtpUsername")} />
        <div>
          <TextField
            label="Password"
            type="password"
            value={form.smtpPassword}
            onChange={(e) => set({ smtpPassword: e.target.value, removePassword: false })}
            autoComplete="new-password"
            placeholder={settings.hasPassword ? "Stored; type to replace" : ""}
            error={errorOf("smtpPassword")}
          />
          {settings.hasPassword ? (
            <label className="mt-1.5 flex items-center gap-2 text-xs text-slate-600">
              <input type="checkbox" checked={form.removePassword} onChange={(e) => set({ removePassword: e.target.checked, smtpPassword: "" })} className="size-3.5 rounded border-slate-300" />
              Remove the stored password
            </label>
          ) : null}
        </div>
      </div>
      <TextField label="From" value={form.fromAddress} onChange={(e) => set({ fromAddress: e.target.value })} placeholder="Engagement alerts <alerts@example.com>" error={errorOf("fromAddress")} />
      <SelectField label="Daily digest at" value={form.digestHourUtc} onChange={(e) => set({ digestHourUtc: e.target.value })} hint="Each account manager gets one digest a day, when there is something to call about." error={errorOf("digestHourUtc")}>
        {Array.from({ length: 24 }, (_, h) => (
          <option key={h} value={String(h)}>
            {String(h).padStart(2, "0")}:00 UTC
          </option>
        ))}
      </SelectField>
      {problem && !problem.field ? <FormAlert>{problem.message}</FormAlert> : null}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p role="status" aria-live="polite" className="text-xs text-slate-500">
          {save.isSuccess ? "Saved." : settings.updatedAt !== null ? `Last saved ${formatDateTime(settings.updatedAt)} by ${settings.updatedBy ?? "?"}` : "Not set up yet."}
        </p>
        <button type="submit" disabled={save.isPending} className={buttonClass("primary")} data-testid="save-email-settings">
          {save.isPending ? "Saving…" : "Save email settings"}
        </button>
      </div>
    </form>
  );
}

function TestAndDigests({ configured, adminEmail }: { configured: boolean; adminEmail: string }) {
  const [to, setTo] = useState(adminEmail);
  const test = useTestEmail();
  const digests = useSendDigests();
  return (
    <div className="space-y-6">
      {!configured ? <FormAlert tone="info">Save an SMTP server and a From address first; then test it and send digests here.</FormAlert> : null}
      <div>
        <h3 className="text-sm font-semibold text-slate-900">Send a test email</h3>
        <form
          className="mt-2 flex flex-col gap-2 sm:flex-row sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            test.mutate(to);
          }}
        >
          <div className="min-w-0 flex-1">
            <TextField label="To" value={to} onChange={(e) => setTo(e.target.value)} type="email" />
          </div>
          <button type="submit" disabled={!configured || test.isPending} className={buttonClass("secondary")}>
            {test.isPending ? "Sending…" : "Send test"}
          </button>
        </form>
        <div className="mt-2" aria-live="polite">
          {test.isSuccess ? <FormAlert tone="success">Sent. The server answered: {test.data.response ?? "OK"}</FormAlert> : null}
          {test.isError ? <FormAlert title="The email could not be sent">{test.error.message}</FormAlert> : null}
        </div>
      </div>
      <div>
        <h3 className="text-sm font-semibold text-slate-900">Daily digests</h3>
        <p className="mt-1 text-sm text-slate-500">
          Each account manager gets “whom to call today”: open tasks, yesterday’s alerts on their book and renewals in the next 30 days. People can unsubscribe from the link in
          every email.
        </p>
        <button type="button" onClick={() => digests.mutate()} disabled={!configured || digests.isPending} className={buttonClass("secondary", "mt-3")} data-testid="send-digests">
          {digests.isPending ? "Sending…" : "Send today’s digests now"}
        </button>
        <div className="mt-2" aria-live="polite">
          {digests.isSuccess ? (
            <FormAlert tone="success">
              {digests.data.queued === 0 ? "Nobody had anything to call about." : `${digests.data.queued} ${digests.data.queued === 1 ? "digest is" : "digests are"} on the way.`}
            </FormAlert>
          ) : null}
          {digests.isError ? <FormAlert>{digests.error.message}</FormAlert> : null}
        </div>
      </div>
    </div>
  );
}

/** SMTP settings, a test email and the digests. */
export function EmailSettingsPanel({ adminEmail }: { adminEmail: string }) {
  const settings = useQuery(emailSettingsOptions());
  if (settings.isPending) return <LoadingBlock label="Loading the email settings…" />;
  if (settings.isError) return <ErrorBlock error={settings.error} onRetry={() => void settings.refetch()} />;
  return (
    <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <Card
        title="SMTP server"
        description={settings.data.configured ? "Email is set up: digests and immediate alerts go out through this server." : "Set a server and a sender to send digests and immediate alerts."}
      >
        <SettingsForm settings={settings.data} />
      </Card>
      <Card title="Check and send">
        <TestAndDigests configured={settings.data.configured} adminEmail={adminEmail} />
      </Card>
    </div>
  );
}
