import { BrowserRouter, Route, Routes } from 'react-router';
import MiniCartEntry from './expose/mini-cart.tsx';
import CartPageEntry from './expose/cart-page.tsx';
import './standalone.css';

/** The fragment on its own (its own origin, no shell): for developing and checking it alone. */
export function StandaloneApp() {
  return (
    <BrowserRouter>
      <header className="mfe-cart-standalone-header">
        <MiniCartEntry />
      </header>
      <main className="mfe-cart-standalone">
        <Routes>
          <Route path="*" element={<CartPageEntry />} />
        </Routes>
      </main>
    </BrowserRouter>
  );
}
