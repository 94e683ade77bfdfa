-- Up Migration
CREATE TABLE stock (
  sku        text        PRIMARY KEY,
  available  integer     NOT NULL CHECK (available >= 0),
  reserved   integer     NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  -- Bumped on every change and carried by every event, so consumers can drop stale updates.
  version    integer     NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE stock;
