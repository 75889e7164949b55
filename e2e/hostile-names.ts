/**
 * Names that try to break out of HTML or SQL. scripts/e2e-server.ts gives them to two demo
 * accounts (the biggest riser and the biggest drop, so the overview shows them); the
 * injection spec checks they are stored verbatim and shown as plain text.
 */
export const HOSTILE_ACCOUNT_NAMES = {
  riser: `<script>window.__ces_pwned = "account"</script><img src=x onerror="window.__ces_pwned='img'"> Ltd`,
  faller: `Robert'); DROP TABLE accounts;-- & "Sons" <b>Bold</b>`,
} as const;

export const HOSTILE_USER_NAMES = [
  `<script>window.__ces_pwned = "user"</script>Mallory`,
  `O'Brien"; DELETE FROM users WHERE '1'='1`,
] as const;
