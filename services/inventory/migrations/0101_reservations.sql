-- Up Migration
-- What each order holds, so a redelivered or repeated saga event finds the outcome instead of acting twice.
CREATE TABLE reservations (
  order_id   text        PRIMARY KEY,
  -- pending:   only ever seen inside the transaction that claims the order
  -- reserved:  the lines are held (stock.reserved -= available, += reserved)
  -- rejected:  not enough stock, nothing held
  -- released:  was reserved, given back on order.cancelled
  -- committed: was reserved, became a sale on order.confirmed
  -- cancelled: order.cancelled came before any order.placed; a late order.placed reserves nothing
  status     text        NOT NULL CHECK (status IN ('pending', 'reserved', 'rejected', 'released', 'committed', 'cancelled')),
  lines      jsonb       NOT NULL,
  shortages  jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE reservations;
