-- A POST without a body (the insert reference view).
dofile("report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = ""
