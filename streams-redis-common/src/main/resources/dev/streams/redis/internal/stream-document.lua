-- Shared by the scripts that replace or remove a stored value (K7). The Java reader alone
-- decides what is foreign; a script never does. certain_document(text) is true only for text that
-- reader surely accepts: strict JSON (RFC 8259) with an object at the top, valid UTF-8, no repeated
-- names, at most MAX_DEPTH levels, short numbers and names. For anything else (names with escapes,
-- deep or long values, and all foreign data) it is false, "not sure": the script then changes nothing
-- and replies STREAMS_RECHECK, the caller judges the value in Java and, if it is an item, calls again
-- vouching for exactly that text. So the usual case stays one round trip.

-- The index after the number at i of s, or nil: strict JSON (RFC 8259), an exponent of at most 6
-- digits, shorter than MAX_NUMBER. Both checkers use it; a script's body makes it at every call, one
-- closure.
local MAX_NUMBER = 500
local function skip_number(s, i)
  local _, e = string.find(s, '^-?0', i)
  if not e then
    _, e = string.find(s, '^-?[1-9]%d*', i)
    if not e then
      return nil
    end
  end
  local _, f = string.find(s, '^%.%d+', e + 1)
  if f then
    e = f
  end
  local _, x = string.find(s, '^[eE][+-]?', e + 1)
  if x then
    local _, d = string.find(s, '^%d+', x + 1)
    if not d or d - x > 6 then
      return nil
    end
    e = d
  end
  if e - i >= MAX_NUMBER then
    return nil
  end
  return e + 1
end

-- A script's body runs at every call, and making the checkers' closures and tables is a good part of
-- a short script's cost: both checkers are made only by a call that judges a stored value (a
-- create never does), at its first judgement.
local function document_checker()
  -- The writer's limit (StreamJson.MAX_NESTING_DEPTH below the top object, plus the top object); at
  -- most the reader's. Numbers and names: well inside the reader's length limits.
  local MAX_DEPTH = 501
  local MAX_NAME = 10000

  local byte, find, sub = string.byte, string.find, string.sub

  -- The index after the string whose quote is at i, and whether it has escapes; nil if it is not a
  -- string of valid UTF-8 without control characters.
  local function skip_string(s, i)
    local escaped = false
    local p = i + 1
    while true do
      local e = find(s, '[%z\1-\31"\\\128-\255]', p)
      if not e then
        return nil
      end
      local b = byte(s, e)
      if b == 34 then
        return e + 1, escaped
      elseif b == 92 then
        local x = byte(s, e + 1)
        if x == 117 then
          if not find(s, '^%x%x%x%x', e + 2) then
            return nil
          end
          p = e + 6
        elseif x == 34 or x == 92 or x == 47 or x == 98 or x == 102 or x == 110 or x == 114 or x == 116 then
          p = e + 2
        else
          return nil
        end
        escaped = true
      elseif b < 128 then
        return nil
      else
        -- One UTF-8 sequence (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
        local b2, b3, b4 = byte(s, e + 1, e + 3)
        if b >= 0xC2 and b <= 0xDF then
          if not b2 or b2 < 0x80 or b2 > 0xBF then
            return nil
          end
          p = e + 2
        elseif b >= 0xE0 and b <= 0xEF then
          local low = b == 0xE0 and 0xA0 or 0x80
          local high = b == 0xED and 0x9F or 0xBF
          if not b3 or b2 < low or b2 > high or b3 < 0x80 or b3 > 0xBF then
            return nil
          end
          p = e + 3
        elseif b >= 0xF0 and b <= 0xF4 then
          local low = b == 0xF0 and 0x90 or 0x80
          local high = b == 0xF4 and 0x8F or 0xBF
          if not b4 or b2 < low or b2 > high or b3 < 0x80 or b3 > 0xBF or b4 < 0x80 or b4 > 0xBF then
            return nil
          end
          p = e + 4
        else
          return nil
        end
      end
    end
  end

  -- The index after whitespace at i.
  local function skip_space(s, i)
    local _, e = find(s, '^[ \t\n\r]*', i)
    return e + 1
  end

  -- Reads a name not in names (and adds it), then the colon: the index of the value, or nil.
  local function read_name(s, p, names)
    if byte(s, p) ~= 34 then
      return nil
    end
    local e, escaped = skip_string(s, p)
    -- A name with escapes could equal another one once unescaped: not sure.
    if not e or escaped or e - p - 2 > MAX_NAME then
      return nil
    end
    local name = sub(s, p + 1, e - 2)
    if names[name] then
      return nil
    end
    names[name] = true
    local _, colon = find(s, '^[ \t\n\r]*:', e)
    if not colon then
      return nil
    end
    return skip_space(s, colon + 1)
  end

  local function check(s)
    local p = skip_space(s, 1)
    if byte(s, p) ~= 123 then
      return false
    end
    local depth = 0
    -- names[d]: the names of the object at depth d so far, or false for an array
    local names = {}
    while true do
      local c = byte(s, p)
      local complete = true
      if c == 123 or c == 91 then
        depth = depth + 1
        if depth > MAX_DEPTH then
          return false
        end
        p = skip_space(s, p + 1)
        if c == 123 then
          names[depth] = {}
          if byte(s, p) == 125 then
            p = p + 1
            depth = depth - 1
          else
            p = read_name(s, p, names[depth])
            if not p then
              return false
            end
            complete = false
          end
        else
          names[depth] = false
          if byte(s, p) == 93 then
            p = p + 1
            depth = depth - 1
          else
            complete = false
          end
        end
      elseif c == 34 then
        p = skip_string(s, p)
      elseif c == 116 then
        p = find(s, '^true', p) and p + 4
      elseif c == 102 then
        p = find(s, '^false', p) and p + 5
      elseif c == 110 then
        p = find(s, '^null', p) and p + 4
      else
        p = skip_number(s, p)
      end
      if not p then
        return false
      end
      -- After a complete value: commas and closing brackets up to the next value, or the end.
      while complete do
        if depth == 0 then
          return skip_space(s, p) == #s + 1
        end
        p = skip_space(s, p)
        local d = byte(s, p)
        if d == 44 then
          p = skip_space(s, p + 1)
          if names[depth] then
            p = read_name(s, p, names[depth])
            if not p then
              return false
            end
          end
          complete = false
        elseif d == (names[depth] and 125 or 93) then
          p = p + 1
          depth = depth - 1
        else
          return false
        end
      end
    end
  end
  return check
end

-- The usual value, as the library writes it, in a few scans of the whole text instead of one
-- scan per token: an object of printable ASCII without backslashes (so no escapes, no control
-- characters, no whitespace but spaces), at most MAX_FAST_BYTES long (so no name is too long).
-- cjson checks the structure (it is strict but for numbers, where it takes hex, inf, nan, 01, 1.);
-- the numbers and literals are checked here, and repeated names are found by counting: the names
-- in the text against those cjson kept. plain_document_checker() makes that check:
-- surely_plain_document(text) is true if sure, nil if the full check must tell.
local function plain_document_checker()
  local MAX_FAST_BYTES = 10000
  local MAX_FAST_DEPTH = 501
  -- Words that stand for a literal; any other word stays and is refused below.
  local LITERALS = {['true'] = 'L', ['false'] = 'L', ['null'] = 'L'}
  local fast_find, fast_gsub, fast_gmatch, fast_byte = string.find, string.gsub, string.gmatch, string.byte


  -- How many names the decoded value holds, or nil if it is nested deeper than MAX_FAST_DEPTH.
  local function count_names(value, depth)
    if depth > MAX_FAST_DEPTH then
      return nil
    end
    local names = 0
    for key, inner in pairs(value) do
      if type(key) == 'string' then
        names = names + 1
      end
      if type(inner) == 'table' then
        local below = count_names(inner, depth + 1)
        if not below then
          return nil
        end
        names = names + below
      end
    end
    return names
  end

  local function surely_plain_document(s)
    if #s > MAX_FAST_BYTES or fast_byte(s, 1) ~= 123 or fast_byte(s, #s) ~= 125 then
      return nil
    end
    -- A string of printable ASCII without quotes or backslashes becomes S (the class is ']' to '~',
    -- space, '!', '#' to '['); any other string leaves a quote behind, which is refused below.
    local bare = fast_gsub(fast_gsub(s, '"[]-~ !#-[]*"', 'S'), '%a+', LITERALS)
    if fast_find(bare, '[^{}%[%]:,SL%-+%.%deE ]') then
      return nil
    end
    for number in fast_gmatch(bare, '[%-+%.%deE]+') do
      if skip_number(number, 1) ~= #number + 1 then
        return nil
      end
    end
    local decoded, value = pcall(cjson.decode, s)
    if not decoded or type(value) ~= 'table' then
      return nil
    end
    -- A string followed by a colon is a name (in JSON that cjson accepted, a value never is).
    local _, names = fast_gsub(bare, 'S *:', '')
    if count_names(value, 1) ~= names then
      return nil
    end
    return true
  end
  return surely_plain_document
end

local plain, checker
local function certain_document(s)
  plain = plain or plain_document_checker()
  if plain(s) then
    return true
  end
  checker = checker or document_checker()
  return checker(s)
end
