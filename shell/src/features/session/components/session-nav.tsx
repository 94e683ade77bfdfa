import { Link } from 'react-router';
import { config } from '../../../config/app.ts';
import { useSession } from '../api/get-session.ts';
import { useSignOut } from '../api/sign-out.ts';
import { useSessionChanged } from '../hooks/use-session-changed.ts';
import styles from './session-nav.module.css';

/**
 * The header's view of the session: "Sign in" for guests, the shopper's name and "Sign out" once
 * signed in. Signing in and registering are the cart fragment's account page.
 */
export function SessionNav() {
  useSessionChanged();
  const session = useSession();
  const signOut = useSignOut();
  const user = session.data?.user;

  // Nothing until the session is known, rather than a "Sign in" that flips to a name.
  if (session.isPending) return null;
  if (!user) {
    return (
      <Link to={config.accountPath} className={styles.link}>
        Sign in
      </Link>
    );
  }
  return (
    <div className={styles.user}>
      <Link to={config.accountPath} className={styles.name} title={user.email}>
        {user.name}
      </Link>
      <button
        type="button"
        className={styles.signOut}
        aria-disabled={signOut.isPending}
        onClick={() => {
          if (!signOut.isPending) signOut.mutate();
        }}
      >
        Sign out
      </button>
      {signOut.isError ? (
        <span className={styles.error} role="alert">
          Signing out failed. Try again.
        </span>
      ) : null}
    </div>
  );
}
