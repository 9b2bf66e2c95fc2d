// The compiled build, laid out as the container image lays it out (dist/, prisma/migrations,
// package.json, node_modules) and run with node alone: no tsx, no TypeScript compiler.
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../src/db/migrate.ts';
import { startCompiledBot } from './support/bot-process.ts';
import { type FakeSlack, slackUsers, startFakeSlack } from './support/slack-api.ts';
import { SIGNING_SECRET } from './support/slack-bot.ts';
import { postToSlackEndpoint, slashCommand } from './support/slack-requests.ts';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
// Emitting the whole of src/ (the generated Prisma client included) takes 10 to 30 s on 2 cores.
const BUILD_TIMEOUT_MS = 180_000;

describe('the compiled build', () => {
  let appDir: string;
  beforeAll(async () => {
    appDir = mkdtempSync(join(tmpdir(), 'build-test-'));
    // `npm run build`'s compiler and configuration, into a folder of its own.
    const tsc = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [tsc, '-p', 'tsconfig.build.json', '--outDir', join(appDir, 'dist')];
    await promisify(execFile)(process.execPath, args, { cwd: projectRoot });

    cpSync(join(projectRoot, 'package.json'), join(appDir, 'package.json'));
    cpSync(join(projectRoot, 'prisma', 'migrations'), join(appDir, 'prisma', 'migrations'), {
      recursive: true,
    });
    symlinkSync(join(projectRoot, 'node_modules'), join(appDir, 'node_modules'), 'dir');
  }, BUILD_TIMEOUT_MS);
  afterAll(() => rmSync(appDir, { recursive: true, force: true }));

  it('turns every source file into JavaScript that imports .js files only', () => {
    const sources = filesUnder(join(projectRoot, 'src'));
    const compiled = filesUnder(join(appDir, 'dist'));

    expect(compiled.sort()).toEqual(sources.map((file) => file.replace(/\.ts$/, '.js')).sort());
    for (const file of compiled) {
      const code = readFileSync(join(appDir, 'dist', file), 'utf8');
      expect(code, file).not.toMatch(/(from|import\() *['"]\.{1,2}\/[^'"]*\.ts['"]/);
    }
  });

  it('answers /billing balance in the console, on the embedded database under ./data', async () => {
    const migrations = await readMigrations();
    const bot = startCompiledBot(appDir, {});
    bot.child.stdin.end('/billing balance\n');
    const run = await bot.exited;

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Balance:            $0.00');
    expect(run.stderr).toContain('"database":"pglite"');
    expect(run.stderr).toContain(`"migrations_applied":${migrations.length}`);
    expect(readdirSync(join(appDir, 'data'))).toContain('pglite');
  });

  describe('with Slack in HTTP mode', () => {
    let fake: FakeSlack;
    beforeAll(async () => {
      fake = await startFakeSlack();
      fake.users.set('U0MEMBER', slackUsers.member());
    });
    afterAll(async () => {
      await fake?.close();
    });

    it('answers /billing and /healthz, and the healthcheck says healthy until it stops', async () => {
      const bot = startCompiledBot(appDir, {
        DATABASE_URL: 'memory:',
        SLACK_BOT_TOKEN: 'xoxb-compiled-build',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: '0',
      });
      await bot.waitFor(/Slack app running/);
      const port = /"port":(\d+)/.exec(bot.output().stdout)?.[1] ?? '';

      const answer = await postToSlackEndpoint(
        `http://127.0.0.1:${port}`,
        slashCommand({ text: 'balance', user_id: 'U0MEMBER', response_url: fake.responseUrl('b') }),
        { signingSecret: SIGNING_SECRET },
      );
      const [reply] = await fake.waitFor('response_url:b');
      const whileRunning = healthcheck(appDir, port);
      bot.child.kill('SIGTERM');
      const run = await bot.exited;
      const afterStop = healthcheck(appDir, port);

      expect(answer.status).toBe(200);
      expect(reply?.body.text).toBe('Balance: $0.00');
      expect(whileRunning.status).toBe(0);
      expect(run.code).toBe(0);
      expect(afterStop.status).toBe(1);
      expect(afterStop.stderr).toContain('unhealthy: fetch failed (connect ECONNREFUSED');
    });
  });
});

/** Runs the image's HEALTHCHECK command against `port`. */
function healthcheck(appDir: string, port: string) {
  return spawnSync(process.execPath, ['dist/http/healthcheck-cli.js'], {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', PORT: port },
    encoding: 'utf8',
    timeout: 10_000,
  });
}

/** Paths of the files below `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
}
