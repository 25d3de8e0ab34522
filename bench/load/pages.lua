-- Readers: the concept list (pages of it), concept pages and searches, each request
-- signed in as one of the reader accounts. Counts any answer other than 200.
-- Usage: wrk -s pages.lua http://127.0.0.1:PORT -- /path/to/config.lua
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  config = dofile(args[1])
  bad = 0
  math.randomseed(os.time() * 1000 + #tostring({}))
end

function request()
  local r = math.random()
  local path
  if r < 0.30 then
    path = "/concepts?page=" .. math.random(1, config.list_pages)
  elseif r < 0.70 then
    path = "/concepts/" .. config.concepts[math.random(#config.concepts)]
  else
    path = config.search .. config.queries[math.random(#config.queries)]
  end
  local cookie = config.cookies[math.random(#config.cookies)]
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"kind":"pages","requests":%d,"seconds":%.3f,"p50_ms":%.2f,"p95_ms":%.2f,' ..
    '"p99_ms":%.2f,"max_ms":%.2f,"bad_status":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    wrong, e.connect + e.read + e.write + e.timeout))
end

-- Think time between a client's requests (config.think_ms, +/- 50 %); 0: none.
function delay()
  if config.think_ms > 0 then
    return math.random(math.floor(config.think_ms / 2), math.floor(config.think_ms * 3 / 2))
  end
  return 0
end
