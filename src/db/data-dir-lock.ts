// PGlite keeps no lock of its own: two processes on one data directory silently lose each other's
// writes. The bot therefore holds an exclusive lock on the directory for as long as it runs.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import lockfile from 'proper-lockfile';

// Directories this process holds: a second open of one of them is refused like any other.
const heldHere = new Set<string>();

/** Thrown when another live process holds the data directory. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

interface Holder {
  pid: number;
  host: string;
  since: string;
  command: string;
}

/** A held lock; `release` is safe to call more than once. */
export interface DataDirLock {
  readonly dataDir: string;
  release(): void;
}

/**
 * Takes the exclusive lock of a PGlite data directory, creating the directory if needed.
 * A lock left by a process that died on this host is taken over at once; one from another host
 * is taken over once it has not been refreshed for 30 seconds.
 * @throws {DataDirLockedError} naming the directory and the process that holds it.
 */
export function lockDataDir(dataDir: string, onLost: (error: Error) => void): DataDirLock {
  const dir = resolve(dataDir);
  const holderFile = `${dir}.lock-holder.json`;
  mkdirSync(dir, { recursive: true });

  if (heldHere.has(dir)) {
    throw new DataDirLockedError(`The data directory ${dir} is already open in this process.`);
  }
  const release = acquire(dir, holderFile, onLost);
  writeFileSync(holderFile, JSON.stringify(currentHolder()));
  heldHere.add(dir);

  let released = false;
  return {
    dataDir: dir,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(dir);
      rmSync(holderFile, { force: true });
      try {
        release();
      } catch (error) {
        // Already released means another process took the lock over: nothing left to undo.
        if ((error as NodeJS.ErrnoException).code !== 'ERELEASED') throw error;
      }
    },
  };
}

function acquire(dir: string, holderFile: string, onLost: (error: Error) => void): () => void {
  const lockfilePath = `${dir}.lock`;
  const options = {
    stale: 30_000,
    update: 10_000,
    realpath: false,
    lockfilePath,
    onCompromised: onLost,
  };
  try {
    return lockfile.lockSync(dir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
  }

  const holder = readHolder(holderFile);
  // A pid equal to ours is a previous life of this process (containers reuse pid 1).
  const stale = holder?.host === hostname() && (holder.pid === process.pid || !isAlive(holder.pid));
  if (stale) {
    rmSync(lockfilePath, { recursive: true, force: true });
    return lockfile.lockSync(dir, options);
  }
  throw new DataDirLockedError(
    `The data directory ${dir} is in use by ${describe(holder)}. Stop that process first, or ` +
      'give this one its own directory with DATABASE_URL=file:./another/dir. Several bots ' +
      'sharing one database need PostgreSQL (DATABASE_URL=postgresql://…).',
  );
}

function currentHolder(): Holder {
  return {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    command: process.argv.slice(1).join(' ').slice(0, 200),
  };
}

function readHolder(holderFile: string): Holder | null {
  try {
    return JSON.parse(readFileSync(holderFile, 'utf8')) as Holder;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(holder: Holder | null): string {
  if (!holder) return 'another process (it is starting or stopping)';
  const started = `running since ${holder.since}: ${holder.command}`;
  return `process ${holder.pid} on ${holder.host} (${started})`;
}
