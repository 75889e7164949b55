/**
 * How a contact attempt ended. Shared by the database schema, the API and the UI, so the
 * four outcomes and their labels are spelled once.
 */
export const CONTACT_OUTCOMES = ["reached", "voicemail", "no_answer", "email_sent"] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

export const CONTACT_OUTCOME_LABELS: Record<ContactOutcome, string> = {
  reached: "Reached",
  voicemail: "Voicemail",
  no_answer: "No answer",
  email_sent: "Email sent",
};

export function isContactOutcome(value: string): value is ContactOutcome {
  return (CONTACT_OUTCOMES as readonly string[]).includes(value);
}
