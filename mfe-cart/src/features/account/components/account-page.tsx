import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { paths } from '../../../config/app.ts';
import { useSession } from '../../../lib/session.ts';
import { Loading, LoadError } from '../../../components/query-states.tsx';
import { safeNextPath } from '../utils/next-path.ts';
import { RegisterForm } from './register-form.tsx';
import { SignInForm } from './sign-in-form.tsx';
import styles from './account-page.module.css';

/** Sign in or register; once signed in, back to `?next=` (e.g. the checkout) or the account's overview. */
export function AccountPage() {
  const session = useSession();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const next = safeNextPath(search.get('next'));
  const done = () => navigate(next ?? paths.account, { replace: true });

  if (session.isPending) return <Loading label="Loading your account…" />;
  if (session.isError) {
    return <LoadError title="Your account could not be loaded." error={session.error} onRetry={() => void session.refetch()} />;
  }

  const { user } = session.data;
  if (user && next) return <Navigate to={next} replace />;
  if (user) {
    return (
      <section className={styles.page} aria-labelledby="account-heading">
        <h1 id="account-heading" className={styles.heading}>
          Your account
        </h1>
        <p>
          Signed in as <strong>{user.name}</strong> ({user.email}).
        </p>
        <ul className={styles.links}>
          <li>
            <Link to={paths.orders}>Your orders</Link>
          </li>
          <li>
            <Link to={paths.cart}>Your cart</Link>
          </li>
        </ul>
      </section>
    );
  }

  return (
    <section className={styles.page} aria-labelledby="account-heading">
      <h1 id="account-heading" className={styles.heading}>
        Sign in or create an account
      </h1>
      <div className={styles.forms}>
        <SignInForm onSignedIn={done} />
        <RegisterForm onRegistered={done} />
      </div>
    </section>
  );
}
