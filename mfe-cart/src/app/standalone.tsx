import { BrowserRouter, Link, Route, Routes, useParams } from 'react-router';
import { paths } from '../config/app.ts';
import { useSession } from '../lib/session.ts';
import { useSignOut } from '../features/account/api/sign-out.ts';
import AccountPageEntry from './expose/account-page.tsx';
import AddToCartEntry from './expose/add-to-cart.tsx';
import CartPageEntry from './expose/cart-page.tsx';
import CheckoutPageEntry from './expose/checkout-page.tsx';
import MiniCartEntry from './expose/mini-cart.tsx';
import OrderPageEntry from './expose/order-page.tsx';
import OrdersPageEntry from './expose/orders-page.tsx';
import { CartProviders } from './providers.tsx';
import './standalone.css';

function OrderRoute() {
  const { orderId = '' } = useParams();
  return <OrderPageEntry orderId={orderId} />;
}

/** Stands in for the shell's session display, so the fragment can be used end to end alone. */
function SessionBar() {
  const session = useSession();
  const signOut = useSignOut();
  const user = session.data?.user;
  return user ? (
    <span>
      {user.name}{' '}
      <button type="button" onClick={() => signOut.mutate()}>
        Sign out
      </button>
    </span>
  ) : (
    <Link to={paths.account}>Sign in</Link>
  );
}

/** A product to add, since the catalog fragment is not on this page. */
function Demo() {
  return (
    <section>
      <h1>Cart fragment</h1>
      <p>Chef Knife (KIT-0001)</p>
      <AddToCartEntry sku="KIT-0001" name="Chef Knife" />
    </section>
  );
}

/** The fragment on its own (its own origin, no shell): for developing and checking it alone. */
export function StandaloneApp() {
  return (
    <BrowserRouter>
      <header className="mfe-cart-standalone-header">
        <CartProviders>
          <SessionBar />
        </CartProviders>
        <MiniCartEntry />
      </header>
      <main className="mfe-cart-standalone">
        <Routes>
          <Route path={paths.cart} element={<CartPageEntry />} />
          <Route path={paths.checkout} element={<CheckoutPageEntry />} />
          <Route path={paths.orders} element={<OrdersPageEntry />} />
          <Route path="/orders/:orderId" element={<OrderRoute />} />
          <Route path={paths.account} element={<AccountPageEntry />} />
          <Route path="*" element={<Demo />} />
        </Routes>
      </main>
    </BrowserRouter>
  );
}
