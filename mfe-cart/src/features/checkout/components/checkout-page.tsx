import type { ReactNode } from 'react';
import { paths } from '../../../config/app.ts';
import { useSession } from '../../../lib/session.ts';
import { Loading, LoadError } from '../../../components/query-states.tsx';
import { SignInPrompt } from '../../../components/sign-in-prompt.tsx';
import { CheckoutForm } from './checkout-form.tsx';
import styles from './checkout-page.module.css';

/** Checkout needs an account; `summary` shows what is being ordered (the cart feature's, composed by the app). */
export function CheckoutPage({ summary }: { summary?: ReactNode }) {
  const session = useSession();
  if (session.isPending) return <Loading label="Loading checkout…" />;
  if (session.isError) return <LoadError title="Checkout could not be loaded." error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data.user) {
    return (
      <SignInPrompt
        title="Sign in to check out"
        reason="Your cart is kept: sign in or create an account and it comes with you."
        next={paths.checkout}
      />
    );
  }
  return (
    <section className={styles.page} aria-labelledby="checkout-heading">
      <h1 id="checkout-heading" className={styles.heading}>
        Checkout
      </h1>
      <div className={styles.layout}>
        <CheckoutForm />
        {summary}
      </div>
    </section>
  );
}
