/** Prometheus text exposition format (what prom-client writes), parsed into samples by name. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  /** Metric families by name: their TYPE and HELP. */
  families: Record<string, { type?: string; help?: string }>;
  /** Samples by sample name (histograms give `_bucket`, `_sum`, `_count`). */
  samples: Record<string, Sample[]>;
}

// Prometheus reads NaN in any case; prom-client writes "Nan" for a gauge without samples.
const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/g;

export function parsePrometheus(text: string): Scrape {
  const scrape: Scrape = { families: {}, samples: {} };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const family = (scrape.families[meta[2]] ??= {});
      if (meta[1] === 'TYPE') family.type = meta[3];
      else family.help = meta[3];
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(LABEL)) labels[name] = value.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    const value = match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : Number(match[3]);
    if (Number.isNaN(value) && !/^nan$/i.test(match[3])) throw new Error(`not a number in: ${line}`);
    (scrape.samples[match[1]] ??= []).push({ labels, value });
  }
  return scrape;
}

/** The value of the one sample of `name` whose labels include `labels`, 0 when there is none. */
export function sampleValue(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  const matching = (scrape.samples[name] ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matching.length > 1) throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matching[0]?.value ?? 0;
}

export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url}: HTTP ${response.status}`);
  if (!/^text\/plain/.test(response.headers.get('content-type') ?? '')) throw new Error(`GET ${url}: ${response.headers.get('content-type')}`);
  return parsePrometheus(await response.text());
}
