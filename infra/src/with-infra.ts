/**
 * `npm test` runs its suites through this: it makes sure Kafka is up (starting it if nothing
 * answers), runs the given command, and stops the broker again if it was the one that started it.
 */
import { spawn } from 'node:child_process';
import { ensureTestKafka } from './testing/test-kafka.ts';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: tsx infra/src/with-infra.ts <command> [args…]\n');
  process.exit(2);
}

const kafka = await ensureTestKafka((line) => process.stdout.write(`▸ ${line}\n`));
const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, KAFKA_BROKERS: kafka.brokers.join(',') },
});
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise<number>((resolve) => child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await kafka.stop();
process.exit(code);
