// The bench's one table, in Markdown laid out as Biome formats it, so that it can be pasted into
// the README as printed, and the machine it ran on.
import { cpus, platform, totalmem } from 'node:os';

/** One measured figure beside the baseline measured in the same run. */
export interface Row {
  /** What was measured, with its unit. */
  what: string;
  ours: number;
  baseline: number;
  /** What the baseline is, in a few words. */
  baselineIs: string;
  /** The outcome of a correctness check made on the same run, if any. */
  check?: string;
}

const HEADER = ['measure', 'billing-bot', 'baseline', 'ratio', 'baseline is', 'check'];

export function renderTable(rows: readonly Row[]): string {
  const cells = rows.map((row) => [
    row.what,
    formatNumber(row.ours),
    formatNumber(row.baseline),
    formatRatio(row.ours / row.baseline),
    row.baselineIs,
    row.check ?? '',
  ]);
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)),
  );
  // Numbers are right-aligned, words left-aligned, as a reader scans them.
  const numeric = [false, true, true, true, false, false];
  const cell = (value: string, column: number) => {
    const width = widths[column] ?? 0;
    return numeric[column] ? value.padStart(width) : value.padEnd(width);
  };
  const line = (values: string[]) => `| ${values.map(cell).join(' | ')} |`;
  const rule = widths.map((width, column) =>
    numeric[column] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
  );
  return [line(HEADER), line(rule), ...cells.map(line)].join('\n');
}

/** Three significant figures at most, thousands grouped: 2,431 · 48.2 · 3.17 · 0.412. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  const digits = ratio >= 10 ? 0 : ratio >= 1 ? 1 : 2;
  return `${ratio.toFixed(digits)}×`;
}

/** CPU model, cores, memory and Node version, for the line above the table. */
export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = totalmem() / 1024 ** 3;
  return (
    `${model}, ${cores.length} cores, ${memoryGiB.toFixed(1)} GiB RAM, ` +
    `Node ${process.version} on ${platform()}`
  );
}
