-- clear, one batch: one atomic step (O7, K7). KEYS = data keys of one group, all in one hash
-- slot; ARGV[1] group channel, ARGV[1 + i] item channel of KEYS[i], ARGV[1 + #KEYS + i] (optional)
-- the value of KEYS[i] the caller judged an item, or '' for none. Checks every value first: if one is
-- of another type or a value it is not sure of, it removes nothing and replies
-- STREAMS_RECHECK <index> <index> ... Skips keys already gone. Returns how many it removed.
local count = #KEYS
local values = {}
local recheck = {}
for i = 1, count do
  local value = redis.pcall('GET', KEYS[i])
  if type(value) == 'table' and value.err then
    recheck[#recheck + 1] = i
  elseif value then
    local vouched = ARGV[1 + count + i]
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
for i = 1, count do
  local value = values[i]
  if value then
    redis.call('DEL', KEYS[i])
    local message = '{"type":"delete","data":' .. value .. '}'
    redis.call('PUBLISH', ARGV[1], message)
    redis.call('PUBLISH', ARGV[1 + i], message)
    removed = removed + 1
  end
end
return removed
