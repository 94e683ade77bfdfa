import { BrowserRouter, Route, Routes, useParams } from 'react-router';
import CatalogPageEntry from './expose/catalog-page.tsx';
import ProductPageEntry from './expose/product-page.tsx';
import './standalone.css';

function ProductRoute() {
  const { sku = '' } = useParams();
  return <ProductPageEntry sku={sku} />;
}

/** The fragment on its own (its own origin, no shell): for developing and checking it alone. */
export function StandaloneApp() {
  return (
    <BrowserRouter>
      <main className="mfe-catalog-standalone">
        <Routes>
          <Route path="/" element={<CatalogPageEntry />} />
          <Route path="/products/:sku" element={<ProductRoute />} />
        </Routes>
      </main>
    </BrowserRouter>
  );
}
