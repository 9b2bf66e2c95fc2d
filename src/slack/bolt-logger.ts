// Bolt's and the Web API client's logs, routed through our pino logger.
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../logger.ts';

const LEVELS: Record<LogLevel, 'debug' | 'info' | 'warn' | 'error'> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

/** Bolt's Logger interface over a pino child logger. Request bodies stay at debug level. */
export function boltLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack' });
  let level = LogLevel.INFO;
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...message: unknown[]) =>
      child[method](
        message.map((part) => (typeof part === 'string' ? part : String(part))).join(' '),
      );
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** Bolt asks for a level of its own: the one our logger runs at, in Bolt's terms. */
export function boltLogLevel(logger: Logger): LogLevel {
  const entry = Object.entries(LEVELS).find(([, name]) => name === logger.level);
  return (entry?.[0] as LogLevel | undefined) ?? LogLevel.ERROR;
}
