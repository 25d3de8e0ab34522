-- Writers: each connection (one per thread) is one facilitator.
-- mode "sign": sign-off posts only: sign, through htmx as the browser does, the next of
--   the writer's own concepts waiting for a facilitator's signature (200 with a
--   "notice success" panel when it counts).
-- mode "edit-sign": edit the writer's Arabic rendering (a new version; 302), then sign the
--   new wording, again and again: every edit changes the glossary.
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
  step = config.mode == "sign" and "sign" or "edit"
  edits, signs, bad, n, next_concept = 0, 0, 0, 0, 1
end

local function form_headers()
  return {
    ["Cookie"] = me.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
end

local function sign_request(concept, en_term, term, version)
  local headers = form_headers()
  headers["HX-Request"] = "true"
  local fingerprint = "en%3A" .. en_term .. ".1%7Car%3A" .. term .. "." .. version
  local body = "csrf_token=" .. me.csrf .. "&role=facilitator&fingerprint=" .. fingerprint
  return wrk.format("POST", "/concepts/" .. concept .. "/languages/ar/sign", headers, body)
end

function request()
  if config.mode == "sign" then
    local target = me.signable[next_concept]
    return sign_request(target[1], target[2], target[3], 1)
  end
  if step == "edit" then
    n = n + 1
    local body = "csrf_token=" .. me.csrf .. "&version=" .. me.version ..
      "&text=" .. config.word .. "+" .. id .. "-" .. n ..
      "&status=preferred&register=neutral&back_translation=consent&usage_note=&paraphrase="
    return wrk.format("POST", "/terms/" .. me.term .. "/edit", form_headers(), body)
  end
  return sign_request(me.concept, me.en_term, me.term, me.version)
end

local function signed(status, body)
  if status == 200 and string.find(body, "notice success", 1, true) then
    signs = signs + 1
  else
    bad = bad + 1
  end
end

function response(status, headers, body)
  if config.mode == "sign" then
    signed(status, body)
    next_concept = next_concept % #me.signable + 1
  elseif step == "edit" then
    if status == 302 then
      me.version = me.version + 1
      edits = edits + 1
    else
      bad = bad + 1
    end
    step = "sign"
  else
    signed(status, body)
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
