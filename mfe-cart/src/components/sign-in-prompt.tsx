import { Link } from 'react-router';
import { paths } from '../config/app.ts';
import styles from './sign-in-prompt.module.css';

/** For pages only a signed-in shopper can see; the account page sends them back to `next`. */
export function SignInPrompt({ title, reason, next }: { title: string; reason: string; next: string }) {
  return (
    <section className={styles.prompt} aria-labelledby="sign-in-prompt-heading">
      <h1 id="sign-in-prompt-heading" className={styles.heading}>
        {title}
      </h1>
      <p>{reason}</p>
      <Link className={styles.link} to={paths.signIn(next)}>
        Sign in or create an account
      </Link>
    </section>
  );
}
