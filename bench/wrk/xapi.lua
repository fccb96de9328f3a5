-- xAPI statements as the H5P player sends them: each connection signs in as
-- its own learner (session cookie, CSRF token, launch token read from the
-- lesson page) and sends statements with fresh ids. Learners come from the
-- file named by the BENCH_XAPI_FILE environment variable, one per line:
-- "<sessionid> <csrftoken> <launch token> <max score>". BENCH_XAPI_VERB is
-- "answered" (scored) or "interacted".
dofile("report.lua")
local learners = {}
local counter = 0
local thread_index = 0

setup = function(thread)
  thread:set("tid", thread_index)
  thread_index = thread_index + 1
end

local function load()
  for line in io.lines(os.getenv("BENCH_XAPI_FILE")) do
    local session, csrf, launch, max = line:match("^(%S+) (%S+) (%S+) (%S+)$")
    if session then
      learners[#learners + 1] = {session = session, csrf = csrf, launch = launch, max = max}
    end
  end
end

init = function(args)
  load()
  math.randomseed(os.time() + (tid or 0) * 7919)
  counter = (tid or 0) * 100000
end

local function uuid()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (template:gsub("[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

request = function()
  counter = counter + 1
  local learner = learners[(counter % #learners) + 1]
  local verb = os.getenv("BENCH_XAPI_VERB") or "answered"
  local result = ""
  if verb == "answered" then
    result = string.format(
      ',"result":{"score":{"min":0,"raw":%s,"max":%s,"scaled":1},"success":true,"completion":true}',
      learner.max, learner.max)
  end
  local body = string.format(
    '{"launch":"%s","statement":{"id":"%s","verb":{"id":"http://adlnet.gov/expapi/verbs/%s"},'
      .. '"object":{"id":"http://127.0.0.1/h5p/activity/bench","objectType":"Activity"}%s}}',
    learner.launch, uuid(), verb, result)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "sessionid=" .. learner.session .. "; csrftoken=" .. learner.csrf,
    ["X-CSRFToken"] = learner.csrf,
  }
  return wrk.format("POST", "/h5p/xapi/", headers, body)
end
