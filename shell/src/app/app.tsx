import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './layout.tsx';
import { ShellProviders } from './providers.tsx';
import {
  AccountRoute,
  CartRoute,
  CatalogRoute,
  CheckoutRoute,
  NotFoundRoute,
  OrderRoute,
  OrdersRoute,
  ProductRoute,
} from './routes.tsx';

/** The shell owns the routes; each route's content is a fragment slot. */
export function App() {
  return (
    <ShellProviders>
      <BrowserRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<CatalogRoute />} />
            <Route path="products/:sku" element={<ProductRoute />} />
            <Route path="cart" element={<CartRoute />} />
            <Route path="checkout" element={<CheckoutRoute />} />
            <Route path="orders" element={<OrdersRoute />} />
            <Route path="orders/:orderId" element={<OrderRoute />} />
            <Route path="account" element={<AccountRoute />} />
            <Route path="*" element={<NotFoundRoute />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </ShellProviders>
  );
}
