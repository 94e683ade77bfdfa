-- Up Migration
-- A tokenised card. The simulated provider keeps no card number: only what a receipt shows (brand,
-- last 4), the expiry it checks at charge time, and the outcome the test card stands for.
CREATE TABLE payment_methods (
  id          uuid        PRIMARY KEY,
  brand       text        NOT NULL,
  last4       char(4)     NOT NULL,
  exp_month   smallint    NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year    smallint    NOT NULL,
  outcome     text        NOT NULL CHECK (outcome IN ('approve', 'decline', 'timeout')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One payment per order, whatever happens to the request: a repeated request finds this row.
CREATE TABLE payments (
  id                uuid        PRIMARY KEY,
  order_id          text        NOT NULL UNIQUE,
  -- As the request named it; an unknown method is declined and kept here for the record.
  payment_method_id text        NOT NULL,
  amount            integer     NOT NULL CHECK (amount >= 0),
  currency          text        NOT NULL,
  status            text        NOT NULL CHECK (status IN ('pending', 'authorized', 'declined')),
  decline_reason    text        CHECK (decline_reason IN ('declined', 'timeout')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE payments;
DROP TABLE payment_methods;
