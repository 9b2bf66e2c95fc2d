// The console adapter: the /billing commands in a terminal or from a pipe, with no chat service.
// The user's identity and role come from configuration, so denials can be tried locally.
import type { Actor, WorkspaceRef } from '../billing/actors.ts';
import { chatErrorMessage, newReferenceId } from '../billing/errors.ts';
import type { ProfileInput } from '../billing/profile.ts';
import { runBillingCommand } from '../commands/billing-command.ts';
import { submitProfile } from '../commands/edit.ts';
import { parseBillingText } from '../commands/grammar.ts';
import type { BillingDeps, CommandRequest, Notifier } from '../commands/types.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createLineReader, type LineReader } from './line-reader.ts';
import { runProfileForm } from './profile-form.ts';
import { renderReply } from './render.ts';

export const CONSOLE_WORKSPACE: WorkspaceRef = {
  platform: 'console',
  externalId: 'local',
  name: 'Console',
};

export interface ConsoleAdapter {
  /** Resolves at end of input, or after `stop`. */
  readonly done: Promise<void>;
  /** Prints notices (a payment credited) between commands. */
  readonly notifier: Notifier;
  stop(): void;
}

export function startConsoleAdapter(
  deps: BillingDeps,
  config: Pick<Config, 'console' | 'billingAdminIds'>,
  logger: Logger,
  onInterrupt: () => void,
): ConsoleAdapter {
  const reader = createLineReader(process.stdin, process.stdout, onInterrupt);
  const actor: Actor = {
    platform: 'console',
    userId: config.console.userId,
    userName: config.console.userName,
  };
  if (reader.interactive) {
    reader.write(
      `billing-bot console: you are ${actor.userName} (${config.console.role}). ` +
        'Type /billing help for the commands, Ctrl-D to quit.',
    );
  }

  const request = (text: string): CommandRequest => ({
    workspace: CONSOLE_WORKSPACE,
    actor,
    roles: { isPlatformAdmin: config.console.role === 'admin', isGuest: false },
    channelId: null,
    text,
    adminsDescription:
      'In the console, the user is a billing admin unless CONSOLE_ROLE=member; users listed ' +
      'in BILLING_ADMIN_IDS (console:<id>) are admins too.',
  });

  const done = (async () => {
    let pending: string | null = null;
    for (;;) {
      const line: string | null = pending ?? (await reader.read('billing> '));
      if (line === null) return;
      pending = line.trim() === '' ? null : await answer(deps, reader, logger, request(line));
    }
  })();
  const print = async (_target: unknown, reply: Parameters<typeof renderReply>[0]) => {
    reader.write(renderReply(reply));
  };
  const notifier: Notifier = {
    toChannel: print,
    toPerson: print,
    async toAlertChannel(_target, reply) {
      reader.write(renderReply(reply));
      return { status: 'posted', ref: null };
    },
    channelProblem: async () => null,
  };
  return { done, notifier, stop: () => reader.close() };
}

/** Answers one line; returns a command typed inside a form, to run next. */
async function answer(
  deps: BillingDeps,
  reader: LineReader,
  logger: Logger,
  request: CommandRequest,
): Promise<string | null> {
  const started = performance.now();
  let next: string | null = null;
  try {
    const result = await runBillingCommand(deps, request);
    if (result.type === 'reply') reader.write(renderReply(result.reply));
    else {
      const submit = (input: ProfileInput) => submitProfile(deps, request, input);
      next = await runProfileForm(reader, result.current, submit);
    }
    logger.debug(
      { command: subcommandOf(request.text), duration_ms: Math.round(performance.now() - started) },
      'command answered',
    );
  } catch (error) {
    const reference = newReferenceId();
    logger.error({ err: error, reference, command: subcommandOf(request.text) }, 'command failed');
    reader.write(chatErrorMessage(error, reference));
  }
  return next;
}

// Only the subcommand is logged: an argument may be a secret (a link code).
function subcommandOf(text: string): string {
  const parsed = parseBillingText(text);
  return parsed.kind === 'known' ? parsed.name : 'unknown';
}
