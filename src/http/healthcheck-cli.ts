// `node dist/http/healthcheck-cli.js`: the container's HEALTHCHECK. Slim images have no curl, so
// Node itself asks the bot's /healthz on PORT and exits 0 when it answers, 1 otherwise.
import { loadConfig } from '../config.ts';

// Below the HEALTHCHECK's own timeout, so a hung bot is reported by this check, not by Docker.
const TIMEOUT_MS = 3_000;

try {
  const { port } = loadConfig();
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, {
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`/healthz answered ${response.status}`);
} catch (error) {
  // fetch's own message is only "fetch failed"; the cause says why (ECONNREFUSED, a timeout).
  const { message, cause } = error as Error & { cause?: Error };
  process.stderr.write(`unhealthy: ${message}${cause ? ` (${cause.message})` : ''}\n`);
  process.exitCode = 1;
}
