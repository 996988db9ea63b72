-- A migration's copy step (L4): stores each value that has nothing yet, with no event; a value
-- already there, item or not, is left as it is. Under the flat layout KEYS are data keys of one hash
-- slot and ARGV[i] the value of KEYS[i]; under the hash layout KEYS[1] is the group's hash and ARGV
-- holds field, value pairs. ARGV[#ARGV] is 'flat' or 'hash'. Returns how many it stored.
local mode = ARGV[#ARGV]
local stored = 0
if mode == 'hash' then
  for i = 1, #ARGV - 1, 2 do
    stored = stored + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
  end
else
  for i = 1, #KEYS do
    if redis.call('SET', KEYS[i], ARGV[i], 'NX') then
      stored = stored + 1
    end
  end
end
return stored
