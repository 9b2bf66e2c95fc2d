// Runs the bot as a real process (`node --import tsx src/main.ts`), as `npm start` does, or a
// compiled build with node alone, feeding its standard input and collecting what it prints.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface BotRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running bot whose output is collected as it arrives. */
export interface RunningBot {
  child: ChildProcessWithoutNullStreams;
  output(): { stdout: string; stderr: string };
  /** Resolves once `pattern` has appeared on stderr (logs) or stdout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<BotRun>;
}

/**
 * Starts the bot (or another entry point of the project, such as a test's script) with a clean
 * environment plus `env`; nothing of the caller's leaks in.
 */
export function startBot(
  env: Record<string, string>,
  script = 'src/main.ts',
  args: string[] = [],
): RunningBot {
  return spawnBot(projectRoot, ['--import', 'tsx', script, ...args], env);
}

/**
 * Starts a compiled build laid out in `appDir` (dist/, prisma/migrations, node_modules) the way
 * the container image runs it: `node dist/main.js`, no TypeScript loader.
 */
export function startCompiledBot(
  appDir: string,
  env: Record<string, string>,
  script = 'dist/main.js',
): RunningBot {
  return spawnBot(appDir, [script], env);
}

function spawnBot(cwd: string, nodeArgs: string[], env: Record<string, string>): RunningBot {
  const child = spawn(process.execPath, nodeArgs, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<BotRun>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${pattern}; stderr so far:\n${stderr}`));
      }, timeoutMs);
      const poll = setInterval(() => {
        if (!pattern.test(stdout) && !pattern.test(stderr)) return;
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }, 25);
    });

  return { child, output: () => ({ stdout, stderr }), waitFor, exited };
}

/** Runs the bot to the end of `input`, as `printf '…' | npm start` does. */
export function runBot(env: Record<string, string>, input: string[]): Promise<BotRun> {
  const bot = startBot(env);
  bot.child.stdin.end(input.map((line) => `${line}\n`).join(''));
  return bot.exited;
}

/** The HTTP port a bot serving Slack or Stripe logged once it was listening. */
export async function listeningPort(bot: RunningBot, timeoutMs = 30_000): Promise<number> {
  await bot.waitFor(/"port":\d+/, timeoutMs);
  return Number(/"port":(\d+)/.exec(bot.output().stdout)?.[1]);
}
