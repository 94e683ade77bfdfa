/** One sample of a scrape: its name (with `_bucket`/`_sum`/`_count` for a histogram's parts), labels and value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A scrape, parsed: each family's declared type (from `# TYPE`) and every sample. */
export interface Scrape {
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const TYPE_LINE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const HELP_LINE = new RegExp(`^# HELP (${NAME}) `);
const SAMPLE_LINE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/;
// Go's strconv.ParseFloat, which Prometheus uses, takes Inf and NaN in any case.
const VALUE = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?inf|nan)$/i;
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };

/**
 * Parses a `/metrics` body as Prometheus's text exposition format 0.0.4 reads it, strictly: every line a
 * comment, `# HELP`, `# TYPE` or a sample; every sample of a family declared by an earlier `# TYPE` (a
 * histogram's `_bucket`, `_sum`, `_count`); label values quoted with only `\\`, `\"`, `\n` escapes; values
 * Go floats; no family declared twice. Returns the types and samples; throws naming the first bad line.
 * (Hand-written because the npm parser that mimics prom2json drops a histogram's labels.)
 */
export function parseMetrics(text: string): Scrape {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = TYPE_LINE.exec(line);
    if (type) {
      if (types.has(type[1]!)) throw new Error(`family declared twice: ${line}`);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (HELP_LINE.test(line) || (line.startsWith('#') && !line.startsWith('# TYPE') && !line.startsWith('# HELP'))) continue;
    const sample = SAMPLE_LINE.exec(line);
    if (!sample) throw new Error(`not a Prometheus line: ${line}`);
    const [, name, labelText = '', value] = sample as unknown as [string, string, string | undefined, string];
    const family = types.has(name)
      ? name
      : ['_bucket', '_sum', '_count'].filter((s) => name.endsWith(s)).map((s) => [name.slice(0, -s.length), s] as const)
        .find(([base, s]) => SUFFIXES[types.get(base) ?? '']?.includes(s))?.[0];
    if (!family) throw new Error(`sample of an undeclared family: ${line}`);
    if (!VALUE.test(value)) throw new Error(`not a number: ${line}`);
    const labels: Record<string, string> = {};
    for (let rest = labelText; rest !== ''; ) {
      const label = LABEL.exec(rest);
      if (!label) throw new Error(`bad labels: ${line}`);
      if (label[1]! in labels) throw new Error(`label repeated: ${line}`);
      labels[label[1]!] = label[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(label[0].length);
    }
    samples.push({ name, labels, value: Number(/nan/i.test(value) ? NaN : value.replace(/inf/i, 'Infinity')) });
  }
  return { types, samples };
}

/**
 * The sum of the samples named `name` whose labels include `labels` (use `<histogram>_count` for how many
 * observations a histogram has); undefined when there is none.
 */
export function sampleValue(scrape: Scrape, name: string, labels: Record<string, string> = {}): number | undefined {
  const matching = scrape.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return matching.length === 0 ? undefined : matching.reduce((sum, s) => sum + s.value, 0);
}
