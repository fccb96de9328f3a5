"""Asynchronous HTTP load for the quiz scenarios of ``make bench`` (run by
``bench/run.py`` in the throwaway virtualenv that has aiohttp; no Django).

    quiz   autosave, then submission, of prepared attempts at a fixed
           concurrency (64 learners at once)
    exam   the synchronized exam: N learners open the same timed exam within
           a window, each autosaves every few seconds and submits at the end
           of their own time (started when they opened it)

Reads a JSON job on stdin and prints one JSON result line.
"""

import asyncio
import json
import random
import re
import sys
import time
from urllib.parse import urlencode

import aiohttp

SEQUENCE = re.compile(r'name="sequence" value="(\d+)"')
ATTEMPT = re.compile(r"/assessments/attempt/(\d+)/")


def stats(latencies, errors, elapsed):
    ordered = sorted(latencies)

    def pct(fraction):
        if not ordered:
            return None
        index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
        return round(ordered[index] * 1000, 1)

    return {
        "requests": len(latencies),
        "errors": errors,
        "elapsed_s": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else None,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": pct(1.0),
    }


class Recorder:
    def __init__(self):
        self.latencies = {}
        self.errors = {}
        self.samples = {}

    def add(self, kind, seconds, ok, sample=""):
        self.latencies.setdefault(kind, []).append(seconds)
        self.errors.setdefault(kind, 0)
        if not ok:
            self.errors[kind] += 1
            self.samples.setdefault(kind, sample[:300])


def headers_for(learner, base):
    return {
        "Cookie": f"sessionid={learner['session']}; csrftoken={learner['csrf']}",
        "X-CSRFToken": learner["csrf"],
        "Referer": base + "/",
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
    }


async def post_json(http, recorder, kind, url, learner, base, data):
    started = time.perf_counter()
    ok, body = False, ""
    try:
        async with http.post(
            url, data=urlencode(data, doseq=True), headers=headers_for(learner, base)
        ) as response:
            body = await response.text()
            ok = response.status == 200 and json.loads(body).get("ok") is True
            payload = json.loads(body) if ok else {}
    except (TimeoutError, aiohttp.ClientError, ValueError) as error:
        body, payload = repr(error), {}
    recorder.add(kind, time.perf_counter() - started, ok, body)
    return payload


async def quiz(job):
    base = job["base"]
    answers = job["answers"]
    recorder = Recorder()
    limit = asyncio.Semaphore(job["concurrency"])
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=job["concurrency"])
    results = {}
    async with aiohttp.ClientSession(
        timeout=timeout, connector=connector, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        for kind, suffix in (("autosave", "save"), ("submit", "submit")):

            async def one(attempt, kind=kind, suffix=suffix):
                async with limit:
                    url = (
                        f"{base}/en/assessments/attempt/{attempt['attempt']}/{suffix}/"
                    )
                    data = dict(answers, sequence=str(attempt["sequence"]))
                    if kind == "submit":
                        data = {"slots": ""}
                    payload = await post_json(
                        http, recorder, kind, url, attempt, base, data
                    )
                    if "sequence" in payload:
                        attempt["sequence"] = payload["sequence"]

            started = time.perf_counter()
            await asyncio.gather(*(one(a) for a in job["attempts"]))
            results[kind] = stats(
                recorder.latencies.get(kind, []),
                recorder.errors.get(kind, 0),
                time.perf_counter() - started,
            )
    results["error_samples"] = recorder.samples
    return results


async def exam_learner(http, recorder, job, learner, t0):
    base = job["base"]
    await asyncio.sleep(max(0.0, t0 + random.uniform(0, job["window_s"]) - time.time()))  # noqa: S311
    opened = time.time()
    started = time.perf_counter()
    ok, attempt_id, sequence, body = False, None, None, ""
    try:
        async with http.post(
            f"{base}/en/assessments/start/{job['quiz']}/",
            headers=headers_for(learner, base) | {"Accept": "text/html"},
            allow_redirects=True,
        ) as response:
            body = await response.text()
            found_attempt = ATTEMPT.search(str(response.url))
            found_sequence = SEQUENCE.search(body)
            ok = response.status == 200 and found_attempt and found_sequence
            if ok:
                attempt_id = int(found_attempt.group(1))
                sequence = int(found_sequence.group(1))
    except (TimeoutError, aiohttp.ClientError) as error:
        body = repr(error)
    recorder.add("open", time.perf_counter() - started, bool(ok), body)
    if not ok:
        return None
    # A timed exam: each learner's time runs from their own start, and they
    # hand in within the last seconds of it.
    submit_at = opened + job["length_s"] - random.uniform(0, job["submit_spread_s"])  # noqa: S311
    next_save = opened + job["autosave_s"]
    while next_save < submit_at:
        await asyncio.sleep(max(0.0, next_save - time.time()))
        payload = await post_json(
            http,
            recorder,
            "autosave",
            f"{base}/en/assessments/attempt/{attempt_id}/save/",
            learner,
            base,
            dict(job["answers"], sequence=str(sequence)),
        )
        sequence = payload.get("sequence", sequence)
        next_save += job["autosave_s"]
    await asyncio.sleep(max(0.0, submit_at - time.time()))
    await post_json(
        http,
        recorder,
        "submit",
        f"{base}/en/assessments/attempt/{attempt_id}/submit/",
        learner,
        base,
        dict(job["answers"], sequence=str(sequence)),
    )
    return attempt_id


async def exam(job):
    recorder = Recorder()
    timeout = aiohttp.ClientTimeout(total=60)
    connector = aiohttp.TCPConnector(limit=0)
    t0 = time.time() + 1
    started = time.perf_counter()
    async with aiohttp.ClientSession(
        timeout=timeout, connector=connector, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        attempts = await asyncio.gather(
            *(
                exam_learner(http, recorder, job, learner, t0)
                for learner in job["learners"]
            )
        )
    elapsed = time.perf_counter() - started
    every = [s for values in recorder.latencies.values() for s in values]
    result = {
        kind: stats(recorder.latencies[kind], recorder.errors[kind], elapsed)
        for kind in recorder.latencies
    }
    result["all"] = stats(every, sum(recorder.errors.values()), elapsed)
    result["attempts"] = [a for a in attempts if a is not None]
    result["error_samples"] = recorder.samples
    return result


def main():
    job = json.loads(sys.stdin.read())
    runner = {"quiz": quiz, "exam": exam}[job["mode"]]
    print(json.dumps(asyncio.run(runner(job))))


if __name__ == "__main__":
    main()
