// Servers under test run as processes of their own, started as `npm start` starts the bot:
// the load and the stand-ins of Slack then run beside them, not on their event loop, and each
// process's memory can be read alone.
import { execFileSync, spawn } from 'node:child_process';
import { startBot } from '../test/support/bot-process.ts';
import { sleep, within } from './measure.ts';

/** A server process that has said which port it listens on. */
export interface ServerProcess {
  baseUrl: string;
  /** Resident memory of the process now, in MiB. */
  rssMiB(): number;
  /** SIGTERM, then waits for the exit (the bot closes its database first). */
  stop(): Promise<void>;
}

/**
 * Starts `script` (`src/main.ts`, or a bench server) with `env` and waits for the `"port":…`
 * that the bot logs once it listens (the bare Bolt app prints the same).
 */
export async function startServerProcess(
  script: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const server = startBot(env, script);
  const listening = new Promise<string>((resolve, reject) => {
    server.child.stdout.on('data', () => {
      const port = server.output().stdout.match(/"port":(\d+)/)?.[1];
      if (port) resolve(port);
    });
    server.exited.then(({ code, stderr }) => {
      reject(new Error(`${script} exited with ${code} before it listened:\n${stderr}`));
    });
  });
  const port = await within(60_000, `${script} starting`, listening);
  const pid = server.child.pid ?? 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    rssMiB: () => rssMiB(pid),
    async stop() {
      server.child.kill('SIGTERM');
      const { code } = await server.exited;
      if (code !== 0) throw new Error(`${script} exited with ${code}:\n${server.output().stderr}`);
    },
  };
}

/** The resident set size of a process, in MiB, as `ps` reports it (Linux and macOS). */
export function rssMiB(pid: number): number {
  const kib = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }));
  return kib / 1024;
}

/** The resident memory of `node` doing nothing (after `settleMs`), in MiB: the floor. */
export async function bareNodeRssMiB(settleMs: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
    stdio: 'ignore',
  });
  try {
    await sleep(settleMs);
    return rssMiB(child.pid ?? 0);
  } finally {
    child.kill();
  }
}
