-- clear under the hash layout, one batch: one atomic step (O7, K7, L2). KEYS[1] the group's hash;
-- ARGV[1] group channel, ARGV[2] n, how many fields; ARGV[2 + i] field i, ARGV[2 + n + i] its item
-- channel, ARGV[2 + 2n + i] (optional) the value of field i the caller judged an item, or '' for none. Checks
-- every value first: if the key is of another type it replies STREAMS_FOREIGN; if it is not sure of
-- some values, it removes nothing and replies STREAMS_RECHECK <index> <index> ... Skips fields
-- already gone. Returns how many it removed.
local n = tonumber(ARGV[2])
local values = {}
local recheck = {}
for i = 1, n do
  local value = redis.pcall('HGET', KEYS[1], ARGV[2 + i])
  if type(value) == 'table' and value.err then
    if not string.find(value.err, '^WRONGTYPE') then
      return value
    end
    return redis.error_reply('STREAMS_FOREIGN 1 ' .. redis.call('TYPE', KEYS[1]).ok)
  elseif value then
    local vouched = ARGV[2 + 2 * n + i]
    if (vouched == nil or vouched == '' or value ~= vouched) and not certain_document(value) then
      recheck[#recheck + 1] = i
    end
    values[i] = value
  end
end
if #recheck > 0 then
  return redis.error_reply('STREAMS_RECHECK ' .. table.concat(recheck, ' '))
end
local removed = 0
for i = 1, n do
  local value = values[i]
  if value then
    redis.call('HDEL', KEYS[1], ARGV[2 + i])
    local message = '{"type":"delete","data":' .. value .. '}'
    publish_event(ARGV[1], message)
    publish_event(ARGV[2 + n + i], message)
    removed = removed + 1
  end
end
return removed
