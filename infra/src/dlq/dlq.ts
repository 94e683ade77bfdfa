/**
 * `npm run dlq -- list [topic] | show <id> | replay <id> | replay --all [--topic <topic>]`: the operator's
 * view of dead letters. An id is `<topic>.dlq:<partition>:<offset>`, as `list` prints it. A topic is a
 * contract topic (`inventory.events`, with or without `.dlq`). Replays are recorded in the compacted
 * topic `dlq.replays` (behind TOPIC_PREFIX) and logged to `.cache/logs/dlq.log`; replaying a dead letter
 * again does nothing. Exit codes: 0 done, 2 bad input (nothing changed), 1 the cluster failed.
 * Reads KAFKA_BROKERS (default 127.0.0.1:9092) and TOPIC_PREFIX (default empty).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ALL_TOPICS, dlqTopic } from '@shop/contracts/topics';
import { brokerList } from '@shop/platform/config';
import {
  DeadLetterInputError, existingTopics, parseDeadLetterId, readDeadLetters, readReplayLog, replayDeadLetters, type DeadLetter,
} from '@shop/platform/kafka/dlq';

const USAGE = `usage: npm run dlq -- list [topic]
       npm run dlq -- show <id>
       npm run dlq -- replay <id>
       npm run dlq -- replay --all [--topic <topic>]
an id is <topic>.dlq:<partition>:<offset>, as list prints it; a topic is one of the contract's (inventory.events, …)`;

class UsageError extends Error {}

// infra/src/dlq → the repository's root (not from parts.ts: that loads every part's config).
const logDir = fileURLToPath(new URL('../../../.cache/logs', import.meta.url));

/** Where a run prints: its answer (stdout) and its complaints (stderr). */
export interface DlqOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Runs one `npm run dlq` command (`argv` as after `--`) against KAFKA_BROKERS / TOPIC_PREFIX of `env`.
 * Returns the exit code: 0 done, 2 bad input (nothing changed), 1 the cluster failed. Throws nothing.
 */
export async function runDlq(argv: string[], env: Record<string, string | undefined>, io: DlqOutput): Promise<number> {
  const prefix = env.TOPIC_PREFIX ?? '';
  const known = ALL_TOPICS.map((t) => `${prefix}${t}`);
  const replayLog = `${prefix}dlq.replays`;
  mkdirSync(logDir, { recursive: true });
  // Every replay is written down where the parts' logs are; kafkajs's warnings go there too, not to the screen.
  const log = pino(
    { level: env.LOG_LEVEL ?? 'info', base: { service: 'dlq' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: path.join(logDir, 'dlq.log'), append: true, sync: true }),
  );
  const cfg = { brokers: brokerList(env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: 'dlq-cli', logger: log };
  const out = (line = ''): void => io.out(line);

  /** `inventory.events`, `inventory.events.dlq` (prefixed or not) → the dead-letter topic; throws for another. */
  function dlqOf(topic: string): string {
    const base = topic.endsWith('.dlq') ? topic.slice(0, -'.dlq'.length) : topic;
    const named = known.find((t) => t === base || t === `${prefix}${base}`);
    if (!named) throw new UsageError(`unknown topic '${topic}': one of ${known.join(', ')}`);
    return dlqTopic(named);
  }

  /** The dead letter `id`; throws for an id of an unknown topic or with nothing at its place. */
  async function letter(id: string): Promise<DeadLetter> {
    const { topic, partition, offset } = parseDeadLetterId(id);
    const dlq = dlqOf(topic);
    const canonical = `${dlq}:${partition}:${offset}`;
    const found = (await readDeadLetters(cfg, dlq)).find((l) => l.id === canonical);
    if (!found) throw new UsageError(`no dead letter ${canonical}: 'npm run dlq -- list' names those there are`);
    return found;
  }

  async function list(topic?: string): Promise<void> {
    const dlqs = topic ? [dlqOf(topic)] : await existingTopics(cfg, known.map(dlqTopic));
    const replays = await readReplayLog(cfg, replayLog);
    let count = 0;
    for (const dlq of dlqs) {
      for (const l of await readDeadLetters(cfg, dlq)) {
        count++;
        const replayed = replays.get(l.id);
        out([
          l.id,
          `from ${l.original.topic}:${l.original.partition}:${l.original.offset}`,
          `group ${l.group ?? '?'}`,
          `key ${l.key ?? '-'}`,
          l.deadLetteredAt,
          replayed ? `replayed ${replayed.replayedAt}` : 'not replayed',
          `error: ${l.error ?? '?'}`,
        ].join('  '));
      }
    }
    out(count === 0 ? `no dead letters in ${dlqs.join(', ') || 'any topic'}` : `${count} dead letter(s)`);
  }

  async function show(id: string): Promise<void> {
    const l = await letter(id);
    const replayed = (await readReplayLog(cfg, replayLog)).get(id);
    let value: unknown = l.value;
    try {
      value = l.value === null ? null : JSON.parse(l.value);
    } catch {
      // a poison message is shown as it is
    }
    out(JSON.stringify({ ...l, value, replayed: replayed ?? null }, null, 2));
  }

  async function replay(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return out('nothing to replay');
    const outcomes = await replayDeadLetters(cfg, letters, { replayLog, transactionalId: `${prefix}dlq-replayer` });
    for (const o of outcomes) {
      const to = `${o.record.to.topic}:${o.record.to.partition}:${o.record.to.offset}`;
      if (o.replayed) {
        log.info({ id: o.id, to: o.record.to }, 'dead letter replayed');
        out(`${o.id}  replayed to ${to}`);
      } else {
        log.info({ id: o.id, earlier: o.record }, 'dead letter already replayed; left alone');
        out(`${o.id}  already replayed to ${to} at ${o.record.replayedAt}; not sent again`);
      }
    }
  }

  async function main(argv: string[]): Promise<void> {
    const { values, positionals } = (() => {
      try {
        return parseArgs({ args: argv, allowPositionals: true, options: { all: { type: 'boolean' }, topic: { type: 'string' } } });
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    })();
    const [command, arg, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected '${extra.join(' ')}'`);
    switch (command) {
      case 'list':
        if (values.all || values.topic) throw new UsageError('list takes a topic, not options');
        return list(arg);
      case 'show':
        if (!arg) throw new UsageError('show needs a dead letter id');
        return show(arg);
      case 'replay': {
        if (Boolean(values.all) === (arg !== undefined)) throw new UsageError('replay needs a dead letter id or --all, not both');
        if (arg !== undefined) {
          if (values.topic) throw new UsageError('--topic goes with --all');
          return replay([await letter(arg)]);
        }
        const dlqs = values.topic ? [dlqOf(values.topic)] : await existingTopics(cfg, known.map(dlqTopic));
        const replays = await readReplayLog(cfg, replayLog);
        const letters = (await Promise.all(dlqs.map((d) => readDeadLetters(cfg, d)))).flat().filter((l) => !replays.has(l.id));
        return replay(letters);
      }
      default:
        throw new UsageError(command ? `unknown command '${command}'` : 'no command');
    }
  }

  try {
    await main(argv);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof DeadLetterInputError) {
      const usage = err instanceof UsageError && /command|needs|unexpected|option|not both|goes with|takes/.test(err.message);
      io.err(`dlq: ${err.message}${usage ? `\n${USAGE}` : ''}`);
      return 2;
    }
    log.error({ err }, 'dlq failed');
    io.err(`dlq: ${(err as Error).message}`);
    return 1;
  }
}
