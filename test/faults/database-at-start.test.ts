import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../support/bot-process.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const serverUrl = process.env.TEST_DATABASE_URL;
const PASSWORD = 'never-print-this-pw';

/** Runs the bot (console mode, nothing on standard input) against `databaseUrl` to its exit. */
function runAgainst(databaseUrl: string) {
  const bot = startBot({ DATABASE_URL: databaseUrl });
  bot.child.stdin.end();
  return bot.exited;
}

describe('the bot as a process, when its database cannot be opened at start', () => {
  it('exits 1 naming DATABASE_URL when nothing listens at the PostgreSQL port', async () => {
    const run = await runAgainst(`postgresql://postgres:${PASSWORD}@127.0.0.1:1/billing`);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot open the database: check DATABASE_URL');
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  });

  it.skipIf(!serverUrl)(
    'exits 1 naming DATABASE_URL when the database does not exist',
    async () => {
      const url = new URL(serverUrl ?? '');
      url.pathname = '/billing_no_such_database';

      const run = await runAgainst(url.toString());

      expect(run.code).toBe(1);
      expect(run.stderr).toContain('cannot open the database: check DATABASE_URL');
      expect(run.stderr).toContain('database \\"billing_no_such_database\\" does not exist');
    },
  );

  describe('a host that swallows every packet', () => {
    let proxy: TcpProxy;
    beforeAll(async () => {
      // Nothing needs to listen behind it: cut, it accepts connections and never answers.
      proxy = await startTcpProxy({ host: '127.0.0.1', port: 1 });
      proxy.cut();
    });
    afterAll(() => proxy?.close());

    it('gives up on connecting and exits 1 instead of waiting forever', async () => {
      const run = await runAgainst(`postgresql://postgres@127.0.0.1:${proxy.port}/billing`);

      expect(proxy.accepted).toBeGreaterThan(0);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('cannot open the database: check DATABASE_URL');
      expect(run.stderr).toMatch(/timeout/i);
    });
  });
});
