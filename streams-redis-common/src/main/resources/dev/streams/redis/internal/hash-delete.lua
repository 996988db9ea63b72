-- delete under the hash layout: one atomic step (O4, K7, L2). KEYS[1] the group's hash; ARGV[1]
-- group channel, ARGV[2] item channel, ARGV[3] the field (the id), ARGV[4] (optional) the value the
-- caller judged an item. Returns the removed document, or nil if there was none. Removes only an
-- item: a key of another type gives STREAMS_FOREIGN, a value it is not sure of STREAMS_RECHECK, and
-- nothing is changed. The hash goes with its last field, as Redis removes an empty hash.
local value = redis.pcall('HGET', KEYS[1], ARGV[3])
if type(value) == 'table' and value.err then
  if not string.find(value.err, '^WRONGTYPE') then
    return value
  end
  return redis.error_reply('STREAMS_FOREIGN 1 ' .. redis.call('TYPE', KEYS[1]).ok)
end
if not value then
  return false
end
if value ~= ARGV[4] and not certain_document(value) then
  return redis.error_reply('STREAMS_RECHECK 1')
end
redis.call('HDEL', KEYS[1], ARGV[3])
local message = '{"type":"delete","data":' .. value .. '}'
publish_event(ARGV[1], message)
publish_event(ARGV[2], message)
return value
