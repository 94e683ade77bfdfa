-- Up Migration
-- Write model: what the catalog team edits.
CREATE TABLE categories (
  slug text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE products (
  sku            text        PRIMARY KEY,
  name           text        NOT NULL,
  description    text        NOT NULL,
  category       text        NOT NULL REFERENCES categories (slug),
  price_amount   integer     NOT NULL CHECK (price_amount >= 0),
  price_currency text        NOT NULL DEFAULT 'EUR',
  -- Bumped on every change of the product (or its price) and carried by its events.
  version        integer     NOT NULL DEFAULT 1,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Read model for listing and search, kept current from catalog and inventory events (CQRS).
-- Rows can be created by either stream first, so the product columns stay null until the
-- product's own event arrives; listings only show rows that have a name.
CREATE TABLE product_listing (
  sku            text PRIMARY KEY,
  name           text,
  description    text,
  category       text,
  price_amount   integer,
  price_currency text,
  price_version  integer NOT NULL DEFAULT 0,
  available      integer,
  stock_version  integer NOT NULL DEFAULT 0,
  search         tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(category, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(description, '')), 'C')
  ) STORED
);
CREATE INDEX product_listing_search ON product_listing USING gin (search);
CREATE INDEX product_listing_category ON product_listing (category);

-- Down Migration
DROP TABLE product_listing;
DROP TABLE products;
DROP TABLE categories;
