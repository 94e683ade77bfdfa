import { useState, type FormEvent } from 'react';
import { ApiRequestError } from '../../../lib/api-client.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { hasMessages, missingFields, splitFieldMessages } from '../../../lib/form-errors.ts';
import { useSignIn } from '../api/sign-in.ts';
import { TextField } from '../../../components/text-field.tsx';
import styles from './account-page.module.css';

const fields = ['email', 'password'] as const;
type Field = (typeof fields)[number];

export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [values, setValues] = useState<Record<Field, string>>({ email: '', password: '' });
  const [missing, setMissing] = useState<Partial<Record<Field, string>>>({});
  const signIn = useSignIn();
  const server =
    signIn.error instanceof ApiRequestError ? splitFieldMessages(signIn.error.fields, fields) : { byField: {}, other: [] };

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (signIn.isPending) return;
    const empty = missingFields(values, { email: 'your email address', password: 'your password' });
    setMissing(empty);
    if (hasMessages(empty)) return;
    signIn.mutate({ email: values.email.trim(), password: values.password }, { onSuccess: onSignedIn });
  }

  const field = (name: Field) => ({
    value: values[name],
    error: missing[name] ?? (server.byField as Partial<Record<Field, string>>)[name],
    onChange: (value: string) => setValues((current) => ({ ...current, [name]: value })),
  });

  // A wrong email or password is one message for the form: saying which would help an attacker.
  const formError = signIn.isError && !hasMessages(server.byField) ? errorMessage(signIn.error) : undefined;
  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading" className={styles.formHeading}>
        Sign in
      </h2>
      {formError ? (
        <p className={styles.alert} role="alert">
          {formError}
        </p>
      ) : null}
      <TextField label="Email" type="email" autoComplete="username" {...field('email')} />
      <TextField label="Password" type="password" autoComplete="current-password" {...field('password')} />
      <button type="submit" className={styles.submit} aria-disabled={signIn.isPending}>
        Sign in
      </button>
    </form>
  );
}
