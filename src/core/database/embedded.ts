import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/**
 * PGlite's NodeFS writes straight through to the host's files, but its PostgreSQL is started with
 * fsync off (`-F`) and Emscripten's file system turns every fsync into nothing. So a commit reaches
 * the operating system's cache, not the disk: a power cut could lose it. This file system gives
 * PostgreSQL's fsync calls a real `fsync(2)` on the host file, and `durableStartParams` turn fsync
 * on with `wal_sync_method=fsync` (fdatasync has no hook in Emscripten; fsync does).
 */
export class DurableNodeFS extends NodeFS {
  /** How many fsyncs reached the disk, so a test can see that a commit waits for one. */
  syncs = 0;

  override async init(pg: PGlite, options: Parameters<NodeFS['init']>[1]) {
    const prepared = await super.init(pg, options);
    const preRun = prepared.emscriptenOpts.preRun ?? [];
    prepared.emscriptenOpts = {
      ...prepared.emscriptenOpts,
      preRun: [
        ...(Array.isArray(preRun) ? preRun : [preRun]),
        (module: { NODEFS: { stream_ops: Record<string, unknown> } }) => {
          module.NODEFS.stream_ops.fsync = (stream: { nfd: number }) => {
            fsyncSync(stream.nfd);
            this.syncs += 1;
            return 0;
          };
        },
      ],
    };
    return prepared;
  }
}

/** PGlite's own start parameters with fsync left on, and a WAL sync method that reaches the disk. */
export function durableStartParams(): string[] {
  const defaults = (PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams;
  return [...defaults.filter((parameter) => parameter !== '-F'), '-c', 'wal_sync_method=fsync'];
}

/**
 * initdb writes a new data folder without syncing it; once, after it is made, every file and folder
 * in it is synced, as initdb itself does when not told to skip it.
 */
export function syncTree(folder: string): void {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) syncTree(path);
    else if (entry.isFile()) syncFile(path);
  }
  syncFile(folder);
}

function syncFile(path: string) {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class DataFolderInUse extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number,
  ) {
    super(
      `This data folder is in use by another Alongside, process ${pid}: ${folder}\n` +
        'Stop that one first (or point DATA_DIR or DATABASE_URL=file:… at another folder).',
    );
    this.name = 'DataFolderInUse';
  }
}

/** Folders this process holds: a lock naming our own pid is ours only if we took it in this life. */
const heldHere = new Set<string>();

/** A process that is alive and, where the system can tell, a Node.js one (a reused pid is not). */
function isAliveNode(pid: number, folder: string): boolean {
  // After a restart (a container's pid 1, say) a stale lock may name our own pid.
  if (pid === process.pid) return heldHere.has(folder);
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const commandLine = `/proc/${pid}/cmdline`;
  if (!existsSync(commandLine)) return true;
  try {
    return /node/.test(readFileSync(commandLine, 'utf8'));
  } catch {
    return true;
  }
}

export interface FolderLock {
  release(): void;
}

/**
 * One server per embedded data folder: PGlite is one PostgreSQL in this process, and a second one on
 * the same files would corrupt them. The lock is a file naming our process; a lock left by a process
 * that has died (a power cut, kill -9) is taken over.
 */
export function lockDataFolder(folder: string): FolderLock {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'alongside.pid');
  const mine = `${process.pid}\n${hostname()}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, mine);
      fsyncSync(fd);
      closeSync(fd);
      heldHere.add(folder);
      return {
        release() {
          heldHere.delete(folder);
          try {
            if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = Number.NaN;
    let host = '';
    try {
      [holder, host] = ((text) => {
        const [pid, name] = text.split('\n');
        return [Number(pid), name ?? ''] as [number, string];
      })(readFileSync(file, 'utf8'));
    } catch {
      // Removed between our attempt and the read: try again.
      continue;
    }
    // A folder shared between machines (a network drive) names a process we cannot see: assume it lives.
    if (Number.isInteger(holder) && (host !== hostname() || isAliveNode(holder, folder))) {
      throw new DataFolderInUse(folder, holder);
    }
    // Left by a process that has stopped: its data was written through and PostgreSQL recovers it.
    try {
      if (statSync(file).isFile()) unlinkSync(file);
    } catch {
      // Someone else took it over meanwhile; the next attempt tells.
    }
  }
  throw new Error(`Could not lock the data folder ${folder}`);
}
