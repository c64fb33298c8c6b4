-- One rate-limit decision for one request, atomic: every limit is asked, and only when all of them
-- allow the request are their new counts written. Times are Redis's own clock (TIME), in µs, so the
-- nodes' clocks do not matter. The arithmetic is Gcra.java's and SlidingWindow.java's.
--
-- KEYS[i]: the key of limit i.  ARGV[3i-2..3i]: "g", interval µs, tolerance µs  (GCRA)
--                                               "s", limit, window µs           (sliding window)
-- Returns five integers per limit: allowed (1/0), remaining, reset µs, retry µs, early µs.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local out = {}
local writes = {}
local all = true
for i = 1, #KEYS do
  local alg, a, b = ARGV[3 * i - 2], tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
  if alg == 'g' then
    local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
    local t = math.max(tat, now)
    local early = t - now
    if early > b then
      all = false
      local wait = early - b
      out[#out + 1] = 0; out[#out + 1] = 0; out[#out + 1] = wait; out[#out + 1] = wait; out[#out + 1] = early
    else
      local remaining = math.floor((b - early) / a)
      local nxt = t + a
      out[#out + 1] = 1; out[#out + 1] = remaining; out[#out + 1] = remaining * a - b + (nxt - now)
      out[#out + 1] = 0; out[#out + 1] = early
      writes[i] = {'g', nxt, math.floor((nxt - now) / 1000) + 1}
    end
  else
    local h = redis.call('HMGET', KEYS[i], 'w', 'c', 'p')
    local index = math.floor(now / b)
    local w, cur, prev = tonumber(h[1]) or index, tonumber(h[2]) or 0, tonumber(h[3]) or 0
    if w ~= index then
      if w == index - 1 then prev = cur else prev = 0 end
      cur = 0
    end
    local elapsed = now - index * b
    local weighted = prev * (b - elapsed) / b
    if weighted + cur + 1 <= a then
      out[#out + 1] = 1; out[#out + 1] = math.floor(a - weighted - cur - 1); out[#out + 1] = b - elapsed
      out[#out + 1] = 0; out[#out + 1] = 0
      writes[i] = {'s', index, cur + 1, prev, math.floor(2 * b / 1000)}
    else
      all = false
      local wait
      if cur + 1 <= a then
        wait = math.max(1, math.ceil(b - (a - cur - 1) * b / prev) - elapsed)
      else
        wait = b - elapsed + math.max(0, math.ceil(b - (a - 1) * b / cur))
      end
      out[#out + 1] = 0; out[#out + 1] = 0; out[#out + 1] = wait; out[#out + 1] = wait; out[#out + 1] = 0
    end
  end
end
if all then
  for i, wr in pairs(writes) do
    if wr[1] == 'g' then
      redis.call('SET', KEYS[i], string.format('%.0f', wr[2]), 'PX', wr[3])
    else
      redis.call('HSET', KEYS[i], 'w', string.format('%.0f', wr[2]), 'c', wr[3], 'p', wr[4])
      redis.call('PEXPIRE', KEYS[i], wr[5])
    end
  end
end
return out
