import { useState, type FormEvent } from 'react';
import { ApiRequestError } from '../../../lib/api-client.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { hasMessages, missingFields, splitFieldMessages } from '../../../lib/form-errors.ts';
import { useRegister } from '../api/register.ts';
import { TextField } from '../../../components/text-field.tsx';
import styles from './account-page.module.css';

const fields = ['name', 'email', 'password'] as const;
type Field = (typeof fields)[number];

/** Messages per field: the server's FormError, and a taken email (409) next to the email field. */
function serverMessages(error: unknown) {
  if (!(error instanceof ApiRequestError)) return { byField: {} as Partial<Record<Field, string>>, other: [] as string[] };
  if (error.status === 409) return { byField: { email: error.message } as Partial<Record<Field, string>>, other: [] };
  return splitFieldMessages(error.fields, fields);
}

export function RegisterForm({ onRegistered }: { onRegistered: () => void }) {
  const [values, setValues] = useState<Record<Field, string>>({ name: '', email: '', password: '' });
  const [missing, setMissing] = useState<Partial<Record<Field, string>>>({});
  const register = useRegister();
  const server = serverMessages(register.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (register.isPending) return;
    const empty = missingFields(values, { name: 'your name', email: 'your email address', password: 'a password' });
    setMissing(empty);
    if (hasMessages(empty)) return;
    register.mutate(
      { name: values.name.trim(), email: values.email.trim(), password: values.password },
      { onSuccess: onRegistered },
    );
  }

  const field = (name: Field) => ({
    value: values[name],
    error: missing[name] ?? server.byField[name],
    onChange: (value: string) => setValues((current) => ({ ...current, [name]: value })),
  });

  const formError = register.isError && !hasMessages(server.byField) ? errorMessage(register.error) : undefined;
  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-labelledby="register-heading">
      <h2 id="register-heading" className={styles.formHeading}>
        Create an account
      </h2>
      <p className={styles.note}>What is in your cart now comes with you.</p>
      {formError || server.other.length > 0 ? (
        <div className={styles.alert} role="alert">
          {formError ? <p>{formError}</p> : null}
          {server.other.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      ) : null}
      <TextField label="Name" autoComplete="name" {...field('name')} />
      <TextField label="Email" type="email" autoComplete="email" {...field('email')} />
      <TextField label="Password" type="password" autoComplete="new-password" hint="At least 8 characters." {...field('password')} />
      <button type="submit" className={styles.submit} aria-disabled={register.isPending}>
        Create account
      </button>
    </form>
  );
}
