-- Writers: each connection (one per thread) is one facilitator working on a concept of
-- their own: edit the Arabic rendering (a new version), then sign the new wording as
-- facilitator (through htmx, as the browser does), again and again.
-- An edit succeeds with 302; a signature with 200 and a "notice success" panel.
-- Usage: wrk -t N -c N -s writes.lua http://127.0.0.1:PORT -- /path/to/config.lua
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  config = dofile(args[1])
  me = config.writers[id]
  step = "edit"
  edits, signs, bad, n = 0, 0, 0, 0
end

function request()
  local headers = {
    ["Cookie"] = me.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  if step == "edit" then
    n = n + 1
    local body = "csrf_token=" .. me.csrf .. "&version=" .. me.version ..
      "&text=" .. config.word .. "+" .. id .. "-" .. n ..
      "&status=preferred&register=neutral&back_translation=consent&usage_note=&paraphrase="
    return wrk.format("POST", "/terms/" .. me.term .. "/edit", headers, body)
  end
  headers["HX-Request"] = "true"
  local fingerprint = "en%3A" .. me.en_term .. ".1%7Car%3A" .. me.term .. "." .. me.version
  local body = "csrf_token=" .. me.csrf .. "&role=facilitator&fingerprint=" .. fingerprint
  return wrk.format("POST", "/concepts/" .. me.concept .. "/languages/ar/sign", headers, body)
end

function response(status, headers, body)
  if step == "edit" then
    if status == 302 then
      me.version = me.version + 1
      edits = edits + 1
    else
      bad = bad + 1
    end
    step = "sign"
  else
    if status == 200 and string.find(body, "notice success", 1, true) then
      signs = signs + 1
    else
      bad = bad + 1
    end
    step = "edit"
  end
end

function done(summary, latency, requests)
  local total_edits, total_signs, wrong = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_edits = total_edits + thread:get("edits")
    total_signs = total_signs + thread:get("signs")
    wrong = wrong + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"kind":"writes","requests":%d,"seconds":%.3f,"p50_ms":%.2f,"p95_ms":%.2f,' ..
    '"p99_ms":%.2f,"max_ms":%.2f,"bad_status":%d,"socket_errors":%d,"edits":%d,"signs":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    wrong, e.connect + e.read + e.write + e.timeout, total_edits, total_signs))
end

-- Think time between a client's requests (config.think_ms, +/- 50 %); 0: none.
function delay()
  if config.think_ms > 0 then
    return math.random(math.floor(config.think_ms / 2), math.floor(config.think_ms * 3 / 2))
  end
  return 0
end
