import { envSchema } from 'env-schema';
import { Type, type Static, type TObject, type TProperties } from 'typebox';

/** Settings every server shares; each workspace adds its own with `defineConfig`. */
export const BaseConfig = {
  HOST: Type.String({ default: '127.0.0.1' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
};

export const KafkaConfig = {
  KAFKA_BROKERS: Type.String({ default: '127.0.0.1:9092', description: 'comma-separated host:port list' }),
  /** Prepended to every topic name, so a test run can have topics of its own. */
  TOPIC_PREFIX: Type.String({ default: '', pattern: '^[a-z0-9.-]*$' }),
};

/**
 * Reads and checks the environment once at start-up. A missing or malformed variable throws an
 * error that names it, so the process stops before it serves anything.
 */
export function loadConfig<P extends TProperties>(
  properties: P,
  env: Record<string, string | undefined> = process.env,
): Static<TObject<P>> {
  const schema = Type.Object(properties);
  return envSchema<Static<TObject<P>>>({ schema: schema as object, data: env, dotenv: false });
}

export const brokerList = (brokers: string): string[] =>
  brokers.split(',').map((b) => b.trim()).filter(Boolean);
