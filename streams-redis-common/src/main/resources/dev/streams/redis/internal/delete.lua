-- delete: one atomic step (O4, K7). KEYS[1] data key; ARGV[1] group channel, ARGV[2] item
-- channel, ARGV[3] (optional) the value the caller judged an item. Returns the removed document, or
-- nil if there was none. Removes only an item: another type gives STREAMS_FOREIGN, a value it is not
-- sure of STREAMS_RECHECK, and nothing is changed.
local value = redis.pcall('GET', KEYS[1])
if type(value) == 'table' and value.err then
  if not string.find(value.err, '^WRONGTYPE') then
    return value
  end
  return redis.error_reply('STREAMS_FOREIGN 1 ' .. redis.call('TYPE', KEYS[1]).ok)
end
if not value then
  return false
end
if value ~= ARGV[3] and not certain_document(value) then
  return redis.error_reply('STREAMS_RECHECK 1')
end
redis.call('DEL', KEYS[1])
local message = '{"type":"delete","data":' .. value .. '}'
redis.call('PUBLISH', ARGV[1], message)
redis.call('PUBLISH', ARGV[2], message)
return value
