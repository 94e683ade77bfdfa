import type { Redis } from 'ioredis';

/**
 * Every read-modify-write of a cart is one Lua script: Redis runs a script alone, so two tabs
 * changing the same cart at once cannot interleave. A script that changes a cart also bumps its
 * version and appends `cart.updated` to the outbox stream, so the event exists if and only if the
 * change does (the Redis analogue of writing the outbox row in the business transaction).
 */

/** Helpers every cart script starts with. */
const PRELUDE = `
local function lines_of(key)
  local flat = redis.call('HGETALL', key)
  local out = {}
  for i = 1, #flat, 2 do
    if string.sub(flat[i], 1, 1) ~= '_' then out[#out + 1] = { flat[i], tonumber(flat[i + 1]) } end
  end
  return out
end

local function touch(key, ttl)
  if tonumber(ttl) > 0 then redis.call('PEXPIRE', key, ttl) end
end

-- envelope: the CloudEvent as JSON, its data to be filled in here, where count and version are known.
local function changed(cart, outbox, seq, cart_id, now, envelope, topic)
  local version = redis.call('HINCRBY', cart, '_version', 1)
  redis.call('HSET', cart, '_updated', now)
  local count = 0
  for _, line in ipairs(lines_of(cart)) do count = count + line[2] end
  local event = cjson.decode(envelope)
  event.data = { cartId = cart_id, itemCount = count, version = version }
  local id = redis.call('INCR', seq)
  redis.call('XADD', outbox, '*', 'seq', id, 'topic', topic, 'key', cart_id, 'value', cjson.encode(event))
end

-- The outbox stream is bounded: a change whose event would not fit is refused before anything is written.
local function outbox_full(outbox, max)
  return redis.call('XLEN', outbox) >= tonumber(max)
end

-- The cart's total (minor units) with \`sku\` at \`quantity\`, at the projection's current prices.
local function total_with(cart, product_prefix, sku, quantity)
  local total = 0
  local seen = false
  for _, line in ipairs(lines_of(cart)) do
    local q = line[2]
    if line[1] == sku then q = quantity; seen = true end
    total = total + q * tonumber(redis.call('HGET', product_prefix .. line[1], 'priceAmount') or '0')
  end
  if not seen then total = total + quantity * tonumber(redis.call('HGET', product_prefix .. sku, 'priceAmount') or '0') end
  return total
end

local function empty(cart)
  local lines = lines_of(cart)
  for _, line in ipairs(lines) do redis.call('HDEL', cart, line[1]) end
  return #lines
end
`;

/**
 * KEYS cart, product, outbox, outboxSeq
 * ARGV sku, quantity, ttlMs, nowMs, envelope, topic, cartId, maxLines, maxQuantity, maxTotal, productPrefix, outboxMax
 * → {'ok', hgetall} | {'unknown-product'} | {'insufficient-stock', available} | {'cart-full'} | {'quantity-limit'}
 *   | {'total-limit', total} | {'outbox-full'}
 * Checks come first, so a refused change writes nothing. Setting the quantity a line already has is no change;
 * lowering one is never refused for the limits (only for a full outbox).
 */
const SET_LINE = `${PRELUDE}
local cart, product = KEYS[1], KEYS[2]
local sku, quantity = ARGV[1], tonumber(ARGV[2])
local current = tonumber(redis.call('HGET', cart, sku) or '0')
if quantity > 0 then
  if redis.call('HEXISTS', product, 'catalogVersion') == 0 then return { 'unknown-product' } end
  local available = tonumber(redis.call('HGET', product, 'available') or '0')
  if quantity > available then return { 'insufficient-stock', available } end
  if current == 0 and #lines_of(cart) >= tonumber(ARGV[8]) then return { 'cart-full' } end
end
if quantity > current then
  if quantity > tonumber(ARGV[9]) then return { 'quantity-limit' } end
  local total = total_with(cart, ARGV[11], sku, quantity)
  if total > tonumber(ARGV[10]) then return { 'total-limit', total } end
end
if quantity ~= current and outbox_full(KEYS[3], ARGV[12]) then return { 'outbox-full' } end
if quantity ~= current then
  if quantity == 0 then redis.call('HDEL', cart, sku) else redis.call('HSET', cart, sku, quantity) end
  changed(cart, KEYS[3], KEYS[4], ARGV[7], ARGV[4], ARGV[5], ARGV[6])
end
touch(cart, ARGV[3])
return { 'ok', redis.call('HGETALL', cart) }
`;

/**
 * KEYS target, from, outbox, outboxSeq
 * ARGV productPrefix, targetTtlMs, fromTtlMs, nowMs, targetEnvelope, fromEnvelope, topic, targetId, fromId, maxLines, maxQuantity,
 *      maxTotal, outboxMax
 * → {'ok', hgetall of target} | {'outbox-full'}
 * A moved line that would take the target's total past maxTotal stays behind (it is dropped from \`from\`,
 * like one beyond the line limit).
 * Each moved quantity adds to the target's, capped by what is available (and the line maximum), but
 * never below what the target already held. An empty `from` (a repeated merge) changes nothing.
 * The product keys are built here from the SKUs found in `from`: fine on one Redis node, which this
 * service runs on; a Redis Cluster would need them declared up front.
 */
const MERGE = `${PRELUDE}
local target, from = KEYS[1], KEYS[2]
local moving = lines_of(from)
if #moving > 0 and redis.call('XLEN', KEYS[3]) + 2 > tonumber(ARGV[13]) then return { 'outbox-full' } end
if #moving > 0 then
  local count = #lines_of(target)
  local target_changed = false
  for _, line in ipairs(moving) do
    local sku, quantity = line[1], line[2]
    local have = tonumber(redis.call('HGET', target, sku) or '0')
    local available = tonumber(redis.call('HGET', ARGV[1] .. sku, 'available') or '0')
    local merged = math.max(have, math.min(have + quantity, available, tonumber(ARGV[11])))
    if merged > have and total_with(target, ARGV[1], sku, merged) > tonumber(ARGV[12]) then merged = have end
    if merged > have and (have > 0 or count < tonumber(ARGV[10])) then
      if have == 0 then count = count + 1 end
      redis.call('HSET', target, sku, merged)
      target_changed = true
    end
    redis.call('HDEL', from, sku)
  end
  changed(from, KEYS[3], KEYS[4], ARGV[9], ARGV[4], ARGV[6], ARGV[7])
  if target_changed then changed(target, KEYS[3], KEYS[4], ARGV[8], ARGV[4], ARGV[5], ARGV[7]) end
end
touch(target, ARGV[2])
touch(from, ARGV[3])
return { 'ok', redis.call('HGETALL', target) }
`;

/**
 * KEYS cart, outbox, outboxSeq
 * ARGV ttlMs, nowMs, envelope, topic, cartId, outboxMax
 * → 'ok' | 'outbox-full'
 * Empties the cart but keeps its version, so the next change's event is still newer than every
 * earlier one (consumers drop stale versions). An empty or unknown cart is left as it is.
 */
const CLEAR = `${PRELUDE}
if #lines_of(KEYS[1]) > 0 and outbox_full(KEYS[2], ARGV[6]) then return 'outbox-full' end
if empty(KEYS[1]) > 0 then changed(KEYS[1], KEYS[2], KEYS[3], ARGV[5], ARGV[2], ARGV[3], ARGV[4]) end
touch(KEYS[1], ARGV[1])
return 'ok'
`;

/**
 * KEYS cart, outbox, outboxSeq, marker
 * ARGV markerTtlMs, eventTimeMs, nowMs, envelope, topic, cartId, outboxMax, sku1, quantity1, sku2, quantity2, …
 * → 'duplicate' | 'superseded' | 'unchanged' | 'removed' | 'outbox-full' (nothing done: the event is retried later)
 * Takes the ordered quantities off the cart's lines (a line left at 0 goes); lines the order did not
 * have, such as ones added after checkout, stay. The processed-event marker is set in the same script
 * as the effect. A confirmation older than the cart's last change is not applied: the shopper has
 * changed the cart since (this is what makes replaying the orders topic from its start harmless).
 */
const REMOVE_ORDERED = `${PRELUDE}
if redis.call('EXISTS', KEYS[4]) == 1 then return 'duplicate' end
if outbox_full(KEYS[2], ARGV[7]) then return 'outbox-full' end
redis.call('SET', KEYS[4], '1', 'PX', ARGV[1])
if tonumber(redis.call('HGET', KEYS[1], '_updated') or '0') > tonumber(ARGV[2]) then return 'superseded' end
local removed = 0
for i = 8, #ARGV, 2 do
  local sku, ordered = ARGV[i], tonumber(ARGV[i + 1])
  local have = tonumber(redis.call('HGET', KEYS[1], sku) or '0')
  if have > 0 and ordered > 0 then
    if have > ordered then redis.call('HSET', KEYS[1], sku, have - ordered) else redis.call('HDEL', KEYS[1], sku) end
    removed = removed + 1
  end
end
if removed == 0 then return 'unchanged' end
changed(KEYS[1], KEYS[2], KEYS[3], ARGV[6], ARGV[3], ARGV[4], ARGV[5])
return 'removed'
`;

/**
 * KEYS product
 * ARGV versionField, version, field, value, …
 * → 1 if applied, 0 if the projection already holds this version or a newer one (redelivered or stale).
 */
const PROJECT = `
if tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], unpack(ARGV, 3))
return 1
`;

type Arg = string | number;
export type ScriptFn = (keys: string[], args: Arg[]) => Promise<unknown>;

export interface Scripts {
  setLine: ScriptFn;
  merge: ScriptFn;
  clear: ScriptFn;
  removeOrdered: ScriptFn;
  project: ScriptFn;
}

const sources: Record<keyof Scripts, [lua: string, numberOfKeys: number]> = {
  setLine: [SET_LINE, 4],
  merge: [MERGE, 4],
  clear: [CLEAR, 3],
  removeOrdered: [REMOVE_ORDERED, 4],
  project: [PROJECT, 1],
};

/** Registers the scripts on a connection (ioredis sends EVALSHA, and the source once if Redis lacks it). */
export function defineScripts(redis: Redis): Scripts {
  const commands = redis as unknown as Record<string, (...args: Arg[]) => Promise<unknown>>;
  return Object.fromEntries(
    Object.entries(sources).map(([name, [lua, numberOfKeys]]) => {
      const command = `cart_${name}`;
      redis.defineCommand(command, { lua, numberOfKeys });
      const run: ScriptFn = (keys, args) => commands[command]!.call(redis, ...keys, ...args);
      return [name, run];
    }),
  ) as unknown as Scripts;
}
