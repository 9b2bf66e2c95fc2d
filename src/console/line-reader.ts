// Reads the terminal (or a pipe) one line at a time. Lines that arrive before they are asked
// for are queued, so piped input works the same as typing.
import { createInterface, type Interface } from 'node:readline';

export interface LineReader {
  /** The next line, or null at end of input. `prompt` is shown first when typing. */
  read(prompt: string): Promise<string | null>;
  write(text: string): void;
  readonly interactive: boolean;
  close(): void;
}

export function createLineReader(
  input: NodeJS.ReadableStream & { isTTY?: boolean },
  output: NodeJS.WritableStream,
  onInterrupt: () => void,
): LineReader {
  const interactive = Boolean(input.isTTY);
  const rl: Interface = createInterface({ input, output, terminal: interactive });
  const lines = rl[Symbol.asyncIterator]();
  rl.on('SIGINT', onInterrupt);

  return {
    interactive,
    async read(prompt) {
      if (prompt && interactive) {
        rl.setPrompt(prompt);
        rl.prompt();
      }
      const next = await lines.next();
      const line = next.done ? null : next.value;
      // Piped input is not echoed by a terminal: echo it after its prompt, like a transcript.
      if (prompt && !interactive && line !== null) output.write(`${prompt}${line}\n`);
      return line;
    },
    write(text) {
      output.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    close() {
      rl.close();
    },
  };
}
