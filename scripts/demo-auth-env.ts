/**
 * How the demo's server trusts origins, shared by `npm run demo` and the end-to-end server so
 * the tests sign in exactly as a demo user does. The demo is opened at whatever address the
 * user has: http://localhost:3000, http://127.0.0.1:3000, or the machine's network address
 * from a phone. It does not state an AUTH_URL; AUTH_TRUST_HOST=true accepts the address each
 * request was made to (and still refuses pages of other sites), with cookies without `Secure`
 * (the demo is plain http). A user who sets AUTH_URL keeps it, and it is trusted as well.
 */
export function demoAuthEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, AUTH_TRUST_HOST: env.AUTH_TRUST_HOST ?? "true" };
}
