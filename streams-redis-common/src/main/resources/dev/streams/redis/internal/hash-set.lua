-- set under the hash layout: one atomic step (O2, K7, L2). KEYS[1] the group's hash; ARGV[1]
-- document, ARGV[2] group channel, ARGV[3] item channel, ARGV[4] the field (the id), ARGV[5]
-- (optional) the previous value the caller judged an item. Returns 1 if it created the item, 0 if it
-- replaced one. Replaces only an item: a key of another type gives STREAMS_FOREIGN, a value it is not
-- sure of STREAMS_RECHECK, and nothing is written.
local old = redis.pcall('HGET', KEYS[1], ARGV[4])
if type(old) == 'table' and old.err then
  if not string.find(old.err, '^WRONGTYPE') then
    return old
  end
  return redis.error_reply('STREAMS_FOREIGN 1 ' .. redis.call('TYPE', KEYS[1]).ok)
end
if old and old ~= ARGV[5] and not certain_document(old) then
  return redis.error_reply('STREAMS_RECHECK 1')
end
redis.call('HSET', KEYS[1], ARGV[4], ARGV[1])
local message = '{"type":"' .. (old and 'update' or 'create') .. '","data":' .. ARGV[1] .. '}'
publish_event(ARGV[2], message)
publish_event(ARGV[3], message)
return old and 0 or 1
