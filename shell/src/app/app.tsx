import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './layout.tsx';
import { CartRoute, CatalogRoute, NotFoundRoute, ProductRoute } from './routes.tsx';

/** The shell owns the routes; each route's content is a fragment slot. */
export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<CatalogRoute />} />
          <Route path="products/:sku" element={<ProductRoute />} />
          <Route path="cart" element={<CartRoute />} />
          <Route path="*" element={<NotFoundRoute />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
