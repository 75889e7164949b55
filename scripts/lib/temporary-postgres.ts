import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * A throw-away PostgreSQL server for the tests and the benchmark: initdb into a temporary
 * directory, start it on a free loopback port with its socket in that directory, and remove
 * everything on stop. PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` user (the directory is handed to it). The binaries come from the PATH, else from
 * Debian's /usr/lib/postgresql/<version>/bin (the newest).
 */
export interface TemporaryPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dir: string;
  stop(): void;
}

function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** The directory holding initdb, pg_ctl and postgres; null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  const fromEnv = process.env.POSTGRES_BIN_DIR;
  if (fromEnv && fs.existsSync(path.join(fromEnv, "initdb"))) return fromEnv;
  const initdb = onPath("initdb");
  if (initdb) return path.dirname(fs.realpathSync(initdb));
  const debian = "/usr/lib/postgresql";
  if (!fs.existsSync(debian)) return null;
  const versions = fs
    .readdirSync(debian)
    .filter((v) => fs.existsSync(path.join(debian, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  const newest = versions[0];
  return newest === undefined ? null : path.join(debian, newest, "bin");
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function asPostgresUser(binary: string, args: string[]): { command: string; args: string[] } {
  return isRoot ? { command: "runuser", args: ["-u", "postgres", "--", binary, ...args] } : { command: binary, args };
}

function run(binary: string, args: string[]): void {
  const { command, args: fullArgs } = asPostgresUser(binary, args);
  const result = spawnSync(command, fullArgs, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${path.basename(binary)} failed (exit ${result.status}): ${result.stderr || result.stdout}`);
  }
}

export interface TemporaryPostgresOptions {
  /**
   * Keep PostgreSQL's durability settings (fsync, synchronous commit), as in production: for
   * the benchmark. Tests turn them off for speed.
   */
  durable?: boolean;
  /** Server settings (`-c name=value`), e.g. the benchmark's memory sizes. */
  settings?: Record<string, string>;
  /**
   * A lasting cluster in this directory instead of a temporary one: initialised on first use,
   * started again by later calls, and kept on stop (the benchmark keeps its copies of the
   * datasets between runs, as it keeps the SQLite files).
   */
  directory?: string;
  /** The port to listen on (default: a free one). */
  port?: number;
}

export async function startTemporaryPostgres(options: TemporaryPostgresOptions = {}): Promise<TemporaryPostgres> {
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error(
      "PostgreSQL is not installed: the tests run on PostgreSQL as well as SQLite. Install it (Debian: apt-get install postgresql) or set CES_TEST_POSTGRES_URL to a server you own.",
    );
  }
  const lasting = options.directory !== undefined;
  const dir = options.directory ?? fs.mkdtempSync(path.join(os.tmpdir(), "ces-pg-"));
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o700);
  if (isRoot) execFileSync("chown", ["-R", "postgres:", dir]);
  const data = path.join(dir, "data");
  if (!fs.existsSync(path.join(data, "PG_VERSION"))) {
    fs.rmSync(data, { recursive: true, force: true });
    run(path.join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"]);
  } else if (fs.existsSync(path.join(data, "postmaster.pid"))) {
    // Left running by an interrupted run of the same owner: stop it so it starts with this run's settings.
    const leftover = asPostgresUser(path.join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
    spawnSync(leftover.command, leftover.args);
  }
  const port = options.port ?? (await freePort());
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c max_connections=200",
    // A test server needs no durability, only speed.
    ...(options.durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]),
    ...Object.entries(options.settings ?? {}).map(([name, value]) => `-c ${name}=${value}`),
  ].join(" ");
  run(path.join(bin, "pg_ctl"), ["-D", data, "-o", serverOptions, "-l", path.join(dir, "server.log"), "-w", "start"]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(path.join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
    } finally {
      if (!lasting) fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, dir, stop };
}

/** The URL of database `name` on the server `serverUrl` names (same host, port and user). */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement that cannot run in a transaction (CREATE/DROP DATABASE) on a connection of its own. */
export async function runOnServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
