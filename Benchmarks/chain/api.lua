-- wrk script: the chain sidecar's REST API through coinsentry-web, the paths of PATHS_FILE (one a line) in turn.
-- Every reply is classified: answered (200, Kriptosare's envelope with error 0), not yet stored (404 "not in the
-- chain database", or Kriptosare's error 1 saying so), or failed (anything else, with wrk's socket errors and
-- timeouts). Prints one JSON line after wrk's own report.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  if line ~= "" then paths[#paths + 1] = line end
end
local threads = {}

function setup(thread)
  thread:set("first", #threads * 7)
  table.insert(threads, thread)
end

function init(args)
  counts = { answered = 0, not_found = 0, failed = 0 }
  failures = {}
  position = first
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

-- Failures are counted by status and what the reply said, addresses replaced by ADDRESS.
local function failed(status, body)
  local said = (body or ""):match('"detail":"([^"]*)"') or (body or ""):match('"message":"([^"]*)"') or
               (body or ""):sub(1, 80)
  local what = tostring(status) .. ": " .. said:gsub("%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w%w+", "ADDRESS")
  counts.failed = counts.failed + 1
  failures[what] = (failures[what] or 0) + 1
end

function response(status, headers, body)
  local missing = body and body:find("not in the chain database", 1, true)
  if status == 200 then
    if body:find('"error":0', 1, true) or not body:find('"custom_properties"', 1, true) then
      counts.answered = counts.answered + 1
    elseif missing then
      counts.not_found = counts.not_found + 1
    else
      failed(status, body)
    end
  elseif status == 404 and missing then
    counts.not_found = counts.not_found + 1
  else
    failed(status, body)
  end
end

local function quote(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', ' ') .. '"'
end

function done(summary, latency, requests)
  local total = { answered = 0, not_found = 0, failed = 0 }
  local reasons = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for key, value in pairs(c) do total[key] = total[key] + value end
    for reason, value in pairs(thread:get("failures")) do reasons[reason] = (reasons[reason] or 0) + value end
  end
  local errors = summary.errors
  local socket = errors.connect + errors.read + errors.write + errors.timeout
  if socket > 0 then
    reasons[string.format("socket errors: connect %d, read %d, write %d, timeout %d", errors.connect, errors.read,
                          errors.write, errors.timeout)] = socket
  end
  local listed = {}
  for reason, value in pairs(reasons) do listed[#listed + 1] = quote(reason) .. ": " .. value end
  io.write(string.format('{"requests": %d, "seconds": %.2f, "answered": %d, "not_found": %d, "failed": %d, ' ..
                         '"p50_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, "failures": {%s}}\n',
                         summary.requests, summary.duration / 1e6, total.answered, total.not_found,
                         total.failed + socket, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
                         latency.max / 1000, table.concat(listed, ", ")))
end
