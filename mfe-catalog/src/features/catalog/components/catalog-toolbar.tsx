import { useEffect, useState, type FormEvent } from 'react';
import type { CatalogPage } from '@shop/contracts/api/web';
import { sortOptions, type CatalogParams, type SortOrder } from '../utils/catalog-params.ts';
import { useInBrowser } from '../../../hooks/use-in-browser.ts';
import styles from './catalog-toolbar.module.css';

interface Props {
  params: CatalogParams;
  categories: CatalogPage['categories'];
  onChange: (change: Partial<CatalogParams>) => void;
}

// One toolbar per page. A fixed id rather than useId: the same in the fragment's server HTML and in any
// browser render of it (useId's differ between a server render and a fresh client one).
const id = 'catalog-toolbar';

export function CatalogToolbar({ params, categories, onChange }: Props) {
  // Disabled in the server's first screen: what a shopper typed or picked there, before the fragment
  // takes its place, would be lost with it.
  const disabled = !useInBrowser();
  const [query, setQuery] = useState(params.query);
  // Back/forward changes the URL under us: show what it now says.
  useEffect(() => setQuery(params.query), [params.query]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onChange({ query: query.trim() });
  }

  return (
    <div className={styles.toolbar}>
      <form role="search" className={styles.search} onSubmit={submit}>
        <label htmlFor={`${id}-query`} className={styles.label}>
          Search products
        </label>
        <input
          id={`${id}-query`}
          className={styles.input}
          type="search"
          name="query"
          value={query}
          maxLength={100}
          disabled={disabled}
          onChange={(event) => setQuery(event.target.value)}
        />
        <button type="submit" className={styles.button} disabled={disabled}>
          Search
        </button>
      </form>
      <div className={styles.field}>
        <label htmlFor={`${id}-category`} className={styles.label}>
          Category
        </label>
        <select
          id={`${id}-category`}
          className={styles.select}
          value={params.category}
          disabled={disabled}
          onChange={(event) => onChange({ category: event.target.value })}
        >
          <option value="">All categories</option>
          {categories.map((category) => (
            <option key={category.slug} value={category.slug}>
              {category.name} ({category.count})
            </option>
          ))}
        </select>
      </div>
      <div className={styles.field}>
        <label htmlFor={`${id}-sort`} className={styles.label}>
          Sort by
        </label>
        <select
          id={`${id}-sort`}
          className={styles.select}
          value={params.sort}
          disabled={disabled}
          onChange={(event) => onChange({ sort: event.target.value as SortOrder })}
        >
          {sortOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
