import { CatalogPage } from '../../features/catalog/components/catalog-page.tsx';
import { CatalogProviders } from '../providers.tsx';

/** Exposed as `mfe_catalog/CatalogPage`; rendered inside the shell's router at `/`. */
export default function CatalogPageEntry() {
  return (
    <CatalogProviders>
      <CatalogPage />
    </CatalogProviders>
  );
}
