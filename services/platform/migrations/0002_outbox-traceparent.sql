-- Up Migration
-- The W3C traceparent of the request or message that wrote the event: the relay publishes the event in
-- that trace, so a consumer continues the writer's trace rather than the relay's.
ALTER TABLE outbox ADD COLUMN traceparent text;

-- Down Migration
ALTER TABLE outbox DROP COLUMN traceparent;
