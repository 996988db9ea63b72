-- set: one atomic step (SPEC.md O2). KEYS[1] data key; ARGV[1] document, ARGV[2] group channel,
-- ARGV[3] item channel. Returns 1 if it created the item, 0 if it replaced one.
local created = redis.call('EXISTS', KEYS[1]) == 0
redis.call('SET', KEYS[1], ARGV[1])
local message = '{"type":"' .. (created and 'create' or 'update') .. '","data":' .. ARGV[1] .. '}'
redis.call('PUBLISH', ARGV[2], message)
redis.call('PUBLISH', ARGV[3], message)
return created and 1 or 0
