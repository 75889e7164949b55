// Tests run on the server side; this stands in for the `server-only` guard.
export {};
