/** `tsx infra/src/kafka/main.ts`: ensures a Kafka broker and its topics, keeps it up until Ctrl-C. */
import { ensureKafka } from './broker.ts';

const log = (line: string) => console.log(line);
const kafka = await ensureKafka({ log }).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});

if (!kafka.started) {
  log(`kafka: ${kafka.brokers.join(',')} is already running and has all topics; nothing to keep alive`);
} else {
  log(`kafka: ready on ${kafka.brokers.join(',')}; Ctrl-C stops it`);
  const shutdown = async () => {
    log('kafka: stopping broker…');
    await kafka.stop();
    log('kafka: stopped');
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
