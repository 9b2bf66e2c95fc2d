import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../src/db/data-dir-lock.ts';

const failOnLost = (error: Error) => {
  throw error;
};

describe('lockDataDir', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a second open of a directory this process holds', () => {
    root = mkdtempSync(join(tmpdir(), 'lock-test-'));
    const dataDir = join(root, 'pglite');
    const held = lockDataDir(dataDir, failOnLost);

    expect(() => lockDataDir(dataDir, failOnLost)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dataDir, failOnLost)).toThrow(`${dataDir} is already open`);
    held.release();
  });

  it('refuses a directory that another live process holds, naming that process', async () => {
    root = mkdtempSync(join(tmpdir(), 'lock-test-'));
    const dataDir = join(root, 'pglite');
    const other = await holdLockInChild(dataDir);

    try {
      expect(() => lockDataDir(dataDir, failOnLost)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dataDir, failOnLost)).toThrow(
        `${dataDir} is in use by process ${other.pid} on ${hostname()}`,
      );
    } finally {
      other.kill();
    }
  });

  it('can be taken again once released', () => {
    root = mkdtempSync(join(tmpdir(), 'lock-test-'));
    const dataDir = join(root, 'pglite');

    lockDataDir(dataDir, failOnLost).release();
    const again = lockDataDir(dataDir, failOnLost);

    expect(existsSync(`${dataDir}.lock-holder.json`)).toBe(true);
    again.release();
    expect(existsSync(`${dataDir}.lock-holder.json`)).toBe(false);
  });

  it('takes over at once a lock left by a killed process of this host', async () => {
    root = mkdtempSync(join(tmpdir(), 'lock-test-'));
    const dataDir = join(root, 'pglite');
    const other = await holdLockInChild(dataDir);
    const exited = new Promise((resolve) => other.once('exit', resolve));
    other.kill('SIGKILL');
    await exited;

    const taken = lockDataDir(dataDir, failOnLost);

    expect(JSON.parse(readFileSync(`${dataDir}.lock-holder.json`, 'utf8')).pid).toBe(process.pid);
    taken.release();
  });
});

// A child process that takes the lock through the same module and keeps it until killed.
function holdLockInChild(dataDir: string) {
  const script = `
    const { lockDataDir } = await import(${JSON.stringify(new URL('../../src/db/data-dir-lock.ts', import.meta.url).href)});
    lockDataDir(${JSON.stringify(dataDir)}, () => {});
    console.log('locked');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  return new Promise<typeof child>((resolve, reject) => {
    child.on('error', reject);
    child.once('exit', (code) => reject(new Error(`lock holder exited early with ${code}`)));
    child.stdout.once('data', () => resolve(child));
  });
}
