import { useCatalogPage } from '../api/get-catalog-page.ts';
import { useCatalogParams } from '../hooks/use-catalog-params.ts';
import { useLiveProducts } from '../../../hooks/use-live-products.ts';
import { DegradedNotice } from '../../../components/degraded-notice.tsx';
import { Loading, LoadError } from '../../../components/query-states.tsx';
import { CatalogToolbar } from './catalog-toolbar.tsx';
import { Pagination } from './pagination.tsx';
import { ProductTile } from './product-tile.tsx';
import { config } from '../../../config/app.ts';
import styles from './catalog-page.module.css';

export function CatalogPage() {
  const [params, setParams] = useCatalogParams();
  const catalog = useCatalogPage(params);
  const products = catalog.data?.products ?? [];
  const live = useLiveProducts(
    products.map((product) => product.sku),
    () => void catalog.refetch(),
  );

  return (
    <section className={styles.page} aria-labelledby="catalog-heading" aria-busy={catalog.isFetching}>
      <h1 id="catalog-heading" className={styles.heading}>
        {params.query ? `Results for “${params.query}”` : 'All products'}
      </h1>
      <CatalogToolbar params={params} categories={catalog.data?.categories ?? []} onChange={setParams} />
      {catalog.isPending ? (
        <Loading label="Loading products…" />
      ) : catalog.isError && !catalog.data ? (
        <LoadError title="The products could not be loaded." error={catalog.error} onRetry={() => void catalog.refetch()} />
      ) : (
        <>
          {catalog.isError ? (
            <LoadError title="Showing older results: the latest could not be loaded." error={catalog.error} />
          ) : null}
          <DegradedNotice degraded={catalog.data.degraded} />
          <p className={styles.count}>
            {catalog.data.total} {catalog.data.total === 1 ? 'product' : 'products'}
          </p>
          {products.length === 0 ? (
            <p className={styles.empty}>No products match your search.</p>
          ) : (
            <ul className={styles.grid} aria-label="Products">
              {products.map((product, index) => (
                <li key={product.sku}>
                  <ProductTile product={live(product)} first={index === 0} />
                </li>
              ))}
            </ul>
          )}
          <Pagination params={params} total={catalog.data.total} pageSize={catalog.data.pageSize} />
        </>
      )}
      <p className={styles.release}>Catalog release {config.release}</p>
    </section>
  );
}
