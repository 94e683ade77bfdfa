import { Link, Outlet } from 'react-router';
import { config } from '../config/app.ts';
import { fragments } from '../config/fragments.ts';
import { FragmentSlot } from '../features/fragments/components/fragment-slot.tsx';
import { SessionNav } from '../features/session/components/session-nav.tsx';
import { CartLinkFallback } from './fragment-fallbacks.tsx';
import styles from './layout.module.css';

export function Layout() {
  return (
    <div className={styles.app}>
      <header className={styles.header}>
        <div className={styles.bar}>
          <Link to="/" className={styles.brand}>
            {config.shopName}
          </Link>
          <nav aria-label="Main" className={styles.nav}>
            <Link to="/">All products</Link>
          </nav>
          <div className={styles.session}>
            <SessionNav />
          </div>
          <div className={styles.cart}>
            <FragmentSlot
              id={fragments.miniCart}
              loading={<CartLinkFallback />}
              fallback={() => <CartLinkFallback />}
            />
          </div>
        </div>
      </header>
      <main className={styles.main}>
        <Outlet />
      </main>
      <footer className={styles.footer}>
        <p>{config.shopName} — a storefront composed from independently deployed fragments.</p>
      </footer>
    </div>
  );
}
