import { Link, useLocation } from 'react-router';
import { pageCount, toSearchParams, type CatalogParams } from '../utils/catalog-params.ts';
import styles from './pagination.module.css';

interface Props {
  params: CatalogParams;
  total: number;
  pageSize: number;
}

export function Pagination({ params, total, pageSize }: Props) {
  const { pathname } = useLocation();
  const pages = pageCount(total, pageSize);
  if (pages <= 1) return null;
  const href = (page: number) => {
    const search = toSearchParams({ ...params, page }).toString();
    return search ? `${pathname}?${search}` : pathname;
  };
  return (
    <nav className={styles.pagination} aria-label="Pagination">
      {params.page > 1 ? (
        <Link to={href(params.page - 1)} rel="prev">
          Previous
        </Link>
      ) : (
        <span className={styles.disabled} aria-disabled="true">
          Previous
        </span>
      )}
      <span aria-current="page">
        Page {params.page} of {pages}
      </span>
      {params.page < pages ? (
        <Link to={href(params.page + 1)} rel="next">
          Next
        </Link>
      ) : (
        <span className={styles.disabled} aria-disabled="true">
          Next
        </span>
      )}
    </nav>
  );
}
