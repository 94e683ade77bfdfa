import { ProductPage } from '../../features/product/components/product-page.tsx';
import { CatalogProviders } from '../providers.tsx';

export interface ProductPageProps {
  sku: string;
}

/** Exposed as `mfe_catalog/ProductPage`; the shell passes the sku from `/products/:sku`. */
export default function ProductPageEntry({ sku }: ProductPageProps) {
  return (
    <CatalogProviders>
      <ProductPage sku={sku} />
    </CatalogProviders>
  );
}
