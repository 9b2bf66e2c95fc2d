// Signed `/billing balance` commands through Bolt's HTTP receiver, 16 at a time: the bot as
// `npm start` runs it (Slack in HTTP mode, the embedded database on disk), then the bare Bolt
// app of bare-bolt.ts. Slack's side (the FakeSlack that answers the Web API and receives the
// replies at response_url) and the load run in this process.
import { type FakeSlack, slackUsers, startFakeSlack } from '../test/support/slack-api.ts';
import { SIGNING_SECRET } from '../test/support/slack-bot.ts';
import { postToSlackEndpoint, slashCommand } from '../test/support/slack-requests.ts';
import { closedLoop, percentile, sleep, within } from './measure.ts';
import { type ServerProcess, startServerProcess } from './processes.ts';
import type { Row } from './table.ts';

export const CONCURRENCY = 16;
const USAGE_API_TOKEN = 'bench-usage-token-0123456789abcdef0123456789';
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SlackBenchSettings {
  /** How long each server is loaded, after a warm-up of a tenth of it. */
  durationMs: number;
  /** How long a started server is left alone before its idle memory is read. */
  settleMs: number;
  /** Usage entries the bot's workspace has on its ledger (spread over 90 days) when loaded. */
  usageEntries: number;
  /** Where the bot keeps its embedded database. */
  dataDir: string;
}

/** What one server did under the load, and its memory before and after. */
export interface ServerFigures {
  idleRssMiB: number;
  loadedRssMiB: number;
  commandsPerSecond: number;
  ackMs: number[];
  replyMs: number[];
}

export interface SlackFigures {
  bot: ServerFigures;
  bareBolt: ServerFigures;
}

export async function benchSlackCommands(settings: SlackBenchSettings): Promise<SlackFigures> {
  const slack = await startFakeSlack();
  const member = slackUsers.member();
  slack.users.set(member.id, member);
  const boltEnv = {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
  };
  const botEnv = {
    ...boltEnv,
    DATABASE_URL: `file:${settings.dataDir}`,
    PORT: '0',
    USAGE_API_TOKEN,
  };

  const servers: ServerProcess[] = [];
  try {
    const bot = await startServerProcess('src/main.ts', botEnv);
    servers.push(bot);
    const bareBolt = await startServerProcess('bench/bare-bolt.ts', boltEnv);
    servers.push(bareBolt);
    await sleep(settings.settleMs);
    const idle = { bot: bot.rssMiB(), bareBolt: bareBolt.rssMiB() };

    await seedUsage(slack, bot, settings.usageEntries);
    const loads = await alternateLoads(slack, bot, bareBolt, settings.durationMs);
    return {
      bot: { idleRssMiB: idle.bot, loadedRssMiB: bot.rssMiB(), ...loads.bot },
      bareBolt: { idleRssMiB: idle.bareBolt, loadedRssMiB: bareBolt.rssMiB(), ...loads.bareBolt },
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await slack.close();
  }
}

export function slackRows({ bot, bareBolt }: SlackFigures): Row[] {
  const baselineIs = 'bare Bolt app, same receiver, constant reply';
  const latency = (what: string, pick: (figures: ServerFigures) => number[], p: number) => ({
    what: `${what} p${p}, ms`,
    ours: percentile(pick(bot), p),
    baseline: percentile(pick(bareBolt), p),
    baselineIs,
  });
  return [
    {
      what: `Slack /billing balance, ${CONCURRENCY} concurrent: commands/s`,
      ours: bot.commandsPerSecond,
      baseline: bareBolt.commandsPerSecond,
      baselineIs,
      check: `${bot.replyMs.length.toLocaleString('en-US')} replies, each the balance`,
    },
    latency('… HTTP ack', (figures) => figures.ackMs, 50),
    latency('… HTTP ack', (figures) => figures.ackMs, 99),
    latency('… reply at response_url', (figures) => figures.replyMs, 50),
    latency('… reply at response_url', (figures) => figures.replyMs, 99),
  ];
}

const TURNS = 10;

// The servers take turns, a tenth of the time each: the machine's other work (a shared CI
// runner, a laptop) then weighs on both alike, and the ratios hold when the absolute figures
// drift. A short first turn each warms them up and is not counted.
async function alternateLoads(
  slack: FakeSlack,
  bot: ServerProcess,
  bareBolt: ServerProcess,
  durationMs: number,
) {
  const turnMs = durationMs / TURNS;
  await commandLoad(slack, bot, turnMs / 2);
  await commandLoad(slack, bareBolt, turnMs / 2);

  const ours = noLoad();
  const theirs = noLoad();
  for (let turn = 0; turn < TURNS; turn++) {
    addLoad(ours, await commandLoad(slack, bot, turnMs));
    addLoad(theirs, await commandLoad(slack, bareBolt, turnMs));
  }
  return { bot: figuresOf(ours), bareBolt: figuresOf(theirs) };
}

interface Load {
  count: number;
  elapsedMs: number;
  ackMs: number[];
  replyMs: number[];
}

const noLoad = (): Load => ({ count: 0, elapsedMs: 0, ackMs: [], replyMs: [] });

function addLoad(total: Load, turn: Load) {
  total.count += turn.count;
  total.elapsedMs += turn.elapsedMs;
  total.ackMs.push(...turn.ackMs);
  total.replyMs.push(...turn.replyMs);
}

const figuresOf = ({ count, elapsedMs, ackMs, replyMs }: Load) => ({
  commandsPerSecond: (count * 1000) / elapsedMs,
  ackMs,
  replyMs,
});

// A worker sends its next command once the last one's reply arrived: the bot's work after the
// ack is counted, and cannot pile up behind the acks.
async function commandLoad(
  slack: FakeSlack,
  server: ServerProcess,
  durationMs: number,
): Promise<Load> {
  const ackMs: number[] = [];
  const replyMs: number[] = [];
  const { count, elapsedMs } = await closedLoop(
    CONCURRENCY,
    async () => {
      const timing = await timedCommand(slack, server.baseUrl);
      ackMs.push(timing.ackMs);
      replyMs.push(timing.replyMs);
    },
    (_, elapsed) => elapsed < durationMs,
  );
  // The recorded calls and the per-request answers are not needed again.
  slack.reset();
  return { count, elapsedMs, ackMs, replyMs };
}

let lastCommand = 0;

/** One signed `/billing balance`: ms until the HTTP ack, and until the reply reached Slack. */
async function timedCommand(slack: FakeSlack, baseUrl: string) {
  const id = `bench-${++lastCommand}`;
  const replied = replyArrival(slack, id);
  const request = slashCommand({ text: 'balance', response_url: slack.responseUrl(id) });

  const started = performance.now();
  const answer = await postToSlackEndpoint(baseUrl, request, { signingSecret: SIGNING_SECRET });
  const ackMs = performance.now() - started;
  if (answer.status !== 200) throw new Error(`/billing answered ${answer.status}: ${answer.body}`);

  const reply = await within(10_000, `the reply to ${id}`, replied);
  if (!reply.text.startsWith('Balance: ')) throw new Error(`/billing replied "${reply.text}"`);
  return { ackMs, replyMs: reply.at - started };
}

/** Resolves when the reply to the command `id` reaches its response_url. */
function replyArrival(slack: FakeSlack, id: string): Promise<{ at: number; text: string }> {
  return new Promise((resolve) => {
    slack.answer(`response_url:${id}`, (call) => {
      resolve({ at: performance.now(), text: String(call.body.text) });
      return { body: { ok: true } };
    });
  });
}

/**
 * Gives the workspace a ledger to read, through the usage API as the platform reports usage:
 * `entries` charges of $0.25 spread over the last 90 days. The first command creates the
 * workspace's account.
 */
async function seedUsage(slack: FakeSlack, server: ServerProcess, entries: number) {
  await timedCommand(slack, server.baseUrl);
  const batch = 1_000;
  for (let first = 0; first < entries; first += batch) {
    const records = Array.from({ length: Math.min(batch, entries - first) }, (_, offset) => {
      const index = first + offset;
      return {
        account: 'slack:T0TESTTEAM',
        amount: '0.25',
        description: 'Compute: 1 vCPU hour',
        occurred_at: new Date(Date.now() - ((index + 1) * 90 * DAY_MS) / entries).toISOString(),
        idempotency_key: `bench-usage-${index}`,
      };
    });
    const response = await fetch(`${server.baseUrl}/api/v1/usage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${USAGE_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records }),
    });
    if (!response.ok) throw new Error(`usage API: ${response.status} ${await response.text()}`);
  }
}
