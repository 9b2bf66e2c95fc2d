// The one logger of the bot, injected everywhere. JSON for machines; readable in a terminal.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

// Tokens and secrets never reach a log line, whatever object a caller hands over.
const REDACTED_PATHS = [
  'token',
  '*.token',
  '*.*.token',
  'secret',
  '*.secret',
  '*.*.secret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'botToken',
  '*.botToken',
  'signingSecret',
  '*.signingSecret',
  'secretKey',
  '*.secretKey',
  'webhookSecret',
  '*.webhookSecret',
  'url',
  '*.url',
];

/**
 * Creates the logger. `destination` is a file descriptor: the console adapter logs to stderr so
 * that its answers on stdout stay clean.
 */
export function createLogger(level: string, destination: 1 | 2 = 1): Logger {
  const options = {
    level,
    base: undefined,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  const isTerminal = destination === 1 ? process.stdout.isTTY : process.stderr.isTTY;
  if (isTerminal) {
    return pino(
      options,
      pretty({ destination, sync: true, ignore: 'pid,hostname', colorize: true }),
    );
  }
  return pino(options, pino.destination({ dest: destination, sync: true }));
}
