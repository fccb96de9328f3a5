"""``make bench``: the learner's road under load, against references measured
in the same run on the same server settings.

Starts, on loopback only, the platform (gunicorn, 2 sync workers,
PLATFORM_ENV=production with generated secrets, DEBUG off) on a fresh
PostgreSQL database with a Redis cache and broker (db numbers of its own) and
a real Celery worker (2 processes); the reference project (bench/reference/:
a bare view, a bare insert view, a stock Wagtail rich-text page) and the
PyPI ``wagtail-lms`` lesson page, each on its own database of the same server
and the same gunicorn settings. Loads them with wrk (pages, xAPI) and an
asyncio client (quiz, synchronized exam), checks the database afterwards,
stops everything it started (also on Ctrl-C or failure) and writes
bench/results/latest.json and bench/results/latest.md.

    .venv/bin/python bench/run.py [--quick] [--large] [--rounds 3]

See bench/README.md.
"""

import argparse
import base64
import contextlib
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / ".work"
RESULTS = BENCH / "results"
PY = ROOT / ".venv/bin/python"
TOOLS = WORK / "venv"
TOOLS_PY = TOOLS / "bin/python"
PG = "postgres://postgres@127.0.0.1:5432"
DATABASES = {
    "product": "platform_bench_run",
    "reference": "platform_bench_ref",
    "lms": "platform_bench_lms",
}
REDIS_CACHE_DB, REDIS_BROKER_DB, REDIS_REFERENCE_DB = 12, 13, 14
PORTS = {"product": 18101, "reference": 18102, "lms": 18103}
STARTED = []  # (name, Popen) of everything this run started


def log(message):
    stamp = datetime.datetime.now().strftime("%H:%M:%S")
    print(f"[bench {stamp}] {message}", flush=True)


# ------------------------------------------------------------------ processes


def start(name, command, env, cwd=ROOT):
    (WORK / "logs").mkdir(parents=True, exist_ok=True)
    out = (WORK / "logs" / f"{name}.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        command,
        cwd=cwd,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as a whole
    )
    STARTED.append((name, process))
    return process


def stop_all():
    for _name, process in reversed(STARTED):
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    deadline = time.time() + 15
    for name, process in reversed(STARTED):
        try:
            process.wait(timeout=max(0.1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop in time: killed")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    STARTED.clear()


def run(command, env, cwd=ROOT, timeout=1800, stdin=None):
    """Run to completion; the output's last line that is JSON, or None."""
    result = subprocess.run(  # noqa: S603
        command,
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=True,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, command))} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    for line in reversed(result.stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return None


def wait_http(url, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


# ---------------------------------------------------------------- environment


def tools():
    """wrk (Debian package) and the throwaway virtualenv with wagtail-lms,
    aiohttp and the product's own Django and Wagtail versions."""
    if shutil.which("wrk") is None:
        log("installing wrk (apt-get)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)  # noqa: S607
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],  # noqa: S607
            check=True,
            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
        )
    from importlib.metadata import version

    wanted = [
        f"django=={version('django')}",
        f"wagtail=={version('wagtail')}",
        "wagtail-lms>=0.11,<0.12",
        "psycopg[binary]>=3.1",
        "gunicorn>=22",
        "aiohttp>=3.9",
        "redis>=5",
    ]
    marker = TOOLS / ".installed"
    if marker.exists() and marker.read_text() == "\n".join(wanted):
        return
    log("creating the throwaway virtualenv bench/.work/venv (wagtail-lms, aiohttp)")
    if not TOOLS_PY.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TOOLS)], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [str(TOOLS_PY), "-m", "pip", "install", "--quiet", *wanted], check=True
    )
    marker.write_text("\n".join(wanted))


def fresh_databases():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        for name in DATABASES.values():
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')


def flush_redis():
    import redis

    for db in (REDIS_CACHE_DB, REDIS_BROKER_DB, REDIS_REFERENCE_DB):
        redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


def secrets_for_run(reuse):
    """Generated for each run; kept in bench/.work/ for ``--reuse``."""
    path = WORK / "secrets.json"
    if reuse and path.exists():
        return json.loads(path.read_text())
    generated = {
        "secret_key": secrets.token_urlsafe(60),
        "signing_key": base64.b64encode(os.urandom(32)).decode(),
        "reference_secret_key": secrets.token_urlsafe(60),
    }
    path.write_text(json.dumps(generated))
    return generated


def environments(reuse=False):
    """Production-like settings with everything generated for this run."""
    generated = secrets_for_run(reuse)
    base = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "CACHE_URL",
            "CELERY_BROKER_URL",
            "PLATFORM_ENV",
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "DEBUG",
        }
    }
    media = WORK / "media"
    common = dict(
        base,
        DATABASE_URL=f"{PG}/{DATABASES['product']}",
        MEDIA_ROOT=str(media),
        STATIC_ROOT=str(WORK / "static"),
        PYTHONUNBUFFERED="1",
    )
    production = dict(
        common,
        PLATFORM_ENV="production",
        SECRET_KEY=generated["secret_key"],
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{PORTS['product']}",
        CACHE_URL=f"rediscache://127.0.0.1:6379/{REDIS_CACHE_DB}",
        CELERY_BROKER_URL=f"redis://127.0.0.1:6379/{REDIS_BROKER_DB}",
        EMAIL_URL="consolemail://",
        CERTIFICATE_SIGNING_KEY=generated["signing_key"],
        # Loopback without TLS: no redirect to https (cookies are sent by
        # the load tools themselves).
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    embedded = dict(common, PLATFORM_ENV="embedded", CELERY_BROKER_URL="memory://")
    reference_secret = generated["reference_secret_key"]
    reference = dict(
        base,
        REFERENCE_SECRET_KEY=reference_secret,
        DATABASE_URL=f"{PG}/{DATABASES['reference']}",
        CACHE_URL=f"redis://127.0.0.1:6379/{REDIS_REFERENCE_DB}",
        STATIC_ROOT=str(WORK / "reference-static"),
        MEDIA_ROOT=str(WORK / "reference-media"),
        DJANGO_SETTINGS_MODULE="settings",
        PYTHONUNBUFFERED="1",
    )
    lms = dict(
        reference,
        DATABASE_URL=f"{PG}/{DATABASES['lms']}",
        DJANGO_SETTINGS_MODULE="lms_settings",
    )
    return production, embedded, reference, lms


def gunicorn(python, app, port, workers=2):
    return [
        str(python),
        "-m",
        "gunicorn",
        app,
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--log-level=warning",
        "--timeout=120",
    ]


def machine():
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) // 1024
    return {
        "nproc": os.cpu_count(),
        "cpu": model or platform.processor(),
        "ram_mib": memory,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
    }


# -------------------------------------------------------------------- loading


def wrk(
    url, *, connections, duration, warmup, script="report.lua", headers=(), env=None
):
    """One wrk scenario after a warm-up run; returns the figures."""
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", "--latency", "-s", script]
    for header in headers:
        command += ["-H", header]
    wrk_env = dict(os.environ, **(env or {}))
    if warmup:
        subprocess.run(  # noqa: S603
            [*command, f"-d{warmup}s", "--timeout=10s", url],
            cwd=BENCH / "wrk",
            env=wrk_env,
            capture_output=True,
            check=False,
        )
        drain(url)
    result = subprocess.run(  # noqa: S603
        [*command, f"-d{duration}s", "--timeout=10s", url],
        cwd=BENCH / "wrk",
        env=wrk_env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            figures = json.loads(line.split(" ", 1)[1])
            figures["rps"] = round(figures["requests"] / figures["duration_s"], 1)
            figures["error_count"] = sum(figures["errors"].values())
            figures["connections"] = connections
            if not figures["requests"]:
                figures["error_count"] += connections  # none answered in time
            return figures
    raise RuntimeError(
        f"wrk gave no figures for {url}:\n{result.stdout}{result.stderr}"
    )


def drain(url, seconds=20):
    """Wait until the server has worked through the warm-up's queued
    requests (a cheap request answers within half a second), so that they
    do not count against the measured run."""
    origin = "/".join(url.split("/")[:3])
    deadline = time.time() + seconds
    while time.time() < deadline:
        started = time.perf_counter()
        with contextlib.suppress(requests.RequestException):
            requests.get(origin + "/favicon.ico", timeout=5, allow_redirects=False)
            if time.perf_counter() - started < 0.5:
                return
        time.sleep(0.2)


def check_page(url, marker, cookie=None):
    """The page answers 200 with its content (not a login redirect)."""
    headers = {"Cookie": cookie} if cookie else {}
    response = requests.get(url, headers=headers, timeout=60, allow_redirects=False)
    ok = response.status_code == 200 and marker in response.text
    return ok, response.status_code, len(response.content)


def median_figures(rounds):
    """The round with the median req/s (its own percentiles kept)."""
    ordered = sorted(rounds, key=lambda figures: figures["rps"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["rounds_rps"] = [figures["rps"] for figures in rounds]
    chosen["error_count"] = sum(figures["error_count"] for figures in rounds)
    return chosen


# ------------------------------------------------------------------- the run


class Bench:
    def __init__(self, args):
        self.args = args
        self.results = {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "mode": "quick" if args.quick else "full",
            "arguments": sys.argv[1:],
            "machine": machine(),
            "settings": {},
            "scenarios": {},
            "notes": [],
        }
        self.production, self.embedded, self.reference_env, self.lms_env = environments(
            reuse=args.reuse
        )
        self.base = f"http://127.0.0.1:{PORTS['product']}"
        self.ref = f"http://127.0.0.1:{PORTS['reference']}"
        self.lms = f"http://127.0.0.1:{PORTS['lms']}"

    # -- set-up

    def setup(self):
        if self.args.reuse and (WORK / "setup.json").exists():
            log("--reuse: the databases and data of the previous run")
            saved = json.loads((WORK / "setup.json").read_text())
            self.plan, self.reference, self.lms_setup = (
                saved["plan"],
                saved["reference"],
                saved["lms"],
            )
            flush_redis()
            return
        log("fresh databases " + ", ".join(DATABASES.values()))
        fresh_databases()
        flush_redis()
        shutil.rmtree(WORK / "media", ignore_errors=True)
        log("product: migrate and seed_demo (embedded settings, same database)")
        run([PY, "manage.py", "migrate", "--noinput"], self.embedded)
        run([PY, "manage.py", "seed_demo"], self.embedded)
        log("product: collectstatic (production settings)")
        run([PY, "manage.py", "collectstatic", "--noinput"], self.production)
        log("reference projects: migrate")
        reference_dir = BENCH / "reference"
        for env in (self.reference_env, self.lms_env):
            run([TOOLS_PY, "manage.py", "migrate", "--noinput"], env, cwd=reference_dir)
        log("product: learners, sessions, quiz and certificate backlog")
        body = WORK / "lesson-body.html"
        plan = run(
            [
                PY,
                BENCH / "prepare.py",
                "setup",
                f"--learners={self.args.learners}",
                f"--certificates={self.args.certificates}",
                f"--body-file={body}",
            ],
            self.production,
        )
        self.plan = plan
        (WORK / "plan.json").write_text(json.dumps(plan))
        self.reference = run(
            [TOOLS_PY, "manage.py", "bench_setup", f"--body-file={body}"],
            self.reference_env,
            cwd=reference_dir,
        )
        self.lms_setup = run(
            [TOOLS_PY, "manage.py", "bench_setup", f"--body-file={body}"],
            self.lms_env,
            cwd=reference_dir,
        )
        (WORK / "setup.json").write_text(
            json.dumps(
                {"plan": plan, "reference": self.reference, "lms": self.lms_setup}
            )
        )
        log(f"set-up data ready (product side {plan['setup_s']} s)")

    def serve(self):
        log("starting gunicorn x3 (2 sync workers each) and the Celery worker")
        start(
            "product",
            gunicorn(PY, "training_platform.wsgi", PORTS["product"]),
            self.production,
        )
        start(
            "worker",
            [
                str(ROOT / ".venv/bin/celery"),
                "-A",
                "training_platform",
                "worker",
                "--concurrency=2",
                "--loglevel=WARNING",
            ],
            self.production,
        )
        reference_dir = BENCH / "reference"
        start(
            "reference",
            gunicorn(TOOLS_PY, "wsgi", PORTS["reference"]),
            self.reference_env,
            cwd=reference_dir,
        )
        start(
            "lms",
            gunicorn(TOOLS_PY, "wsgi", PORTS["lms"]),
            self.lms_env,
            cwd=reference_dir,
        )
        wait_http(self.base + "/healthz/")
        wait_http(self.ref + "/bare/")
        wait_http(self.lms + "/bare/")
        self.results["settings"] = {
            "server": "gunicorn 2 sync workers on 127.0.0.1 (each of product, "
            "reference, wagtail-lms)",
            "product": "PLATFORM_ENV=production, DEBUG off, PostgreSQL "
            f"{DATABASES['product']}, Redis cache db {REDIS_CACHE_DB}, broker db "
            f"{REDIS_BROKER_DB}, Celery worker --concurrency=2",
            "references": "bench/reference/ (Django + Wagtail of the product's "
            "versions) and wagtail-lms 0.11 in bench/.work/venv, each on its own "
            "PostgreSQL database of the same server, Redis cache",
            "wrk": f"-t2, warm-up {self.warmup} s + {self.duration} s, "
            f"{self.args.rounds} round(s), interleaved; median round",
        }

    @property
    def duration(self):
        return self.args.duration

    @property
    def warmup(self):
        return self.args.warmup

    def cookie(self, learner):
        return f"sessionid={learner['session']}; csrftoken={learner['csrf']}"

    # -- page scenarios

    def page_scenarios(self):
        learner = self.plan["learners"][0]
        learner_cookie = "Cookie: " + self.cookie(learner)
        ref_cookie = f"Cookie: sessionid={self.reference['session']}"
        lms_cookie = f"Cookie: sessionid={self.lms_setup['session']}"
        scenarios = {
            "ref_bare": (self.ref + "/bare/", 32, (), "report.lua", "ok", None),
            "ref_wagtail_anonymous": (
                self.ref + self.reference["page"],
                32,
                (),
                "report.lua",
                "Reference page",
                None,
            ),
            "ref_wagtail_logged_in": (
                self.ref + self.reference["page"],
                32,
                (ref_cookie,),
                "report.lua",
                "Signed in as",
                ref_cookie,
            ),
            "ref_wagtail_lms_lesson": (
                self.lms + self.lms_setup["lesson"],
                32,
                (lms_cookie,),
                "report.lua",
                "Reference lesson",
                lms_cookie,
            ),
            "ref_insert": (self.ref + "/insert/", 64, (), "post.lua", None, None),
            "catalogue_anonymous": (
                self.base + self.plan["catalogue"],
                32,
                (),
                "report.lua",
                "</html>",
                None,
            ),
            "course_anonymous": (
                self.base + self.plan["course"],
                32,
                (),
                "report.lua",
                "</html>",
                None,
            ),
            "lesson_text": (
                self.base + self.plan["lesson_text"],
                32,
                (learner_cookie,),
                "report.lua",
                "</html>",
                learner_cookie,
            ),
        }
        if self.plan.get("lesson_h5p"):
            scenarios["lesson_h5p"] = (
                self.base + self.plan["lesson_h5p"],
                32,
                (learner_cookie,),
                "report.lua",
                "/h5p/play/",
                learner_cookie,
            )
        return scenarios

    def run_pages(self, names=None, label=""):
        scenarios = self.page_scenarios()
        names = names or list(scenarios)
        for name in names:
            url, _c, _h, _s, marker, cookie = scenarios[name]
            if marker is None:
                continue
            ok, status, size = check_page(
                url, marker, cookie.split(": ", 1)[1] if cookie else None
            )
            if not ok:
                self.results["notes"].append(
                    f"{name}: {url} answered {status} without the expected "
                    f"content ({marker!r}); figures would not be the page's"
                )
                log(f"WARNING {name}: {status}, expected content missing")
        rounds = {name: [] for name in names}
        for round_number in range(self.args.rounds):
            for name in names:
                url, connections, headers, script, _m, _cookie = scenarios[name]
                figures = wrk(
                    url,
                    connections=connections,
                    duration=self.duration,
                    warmup=self.warmup,
                    script=script,
                    headers=headers,
                )
                rounds[name].append(figures)
                log(
                    f"{name}{label} round {round_number + 1}: {figures['rps']} req/s, "
                    f"p99 {figures['p99_ms']} ms, errors {figures['error_count']}"
                )
        for name in names:
            self.results["scenarios"][name + label] = dict(
                median_figures(rounds[name]), url=scenarios[name][0]
            )

    # -- xAPI

    def launch_tokens(self):
        pattern = re.compile(r"/h5p/play/([A-Za-z0-9_:.\-]+)/")
        lines = []
        for learner in self.plan["learners"]:
            response = requests.get(
                self.base + self.plan["lesson_h5p"],
                headers={"Cookie": self.cookie(learner)},
                timeout=60,
            )
            found = pattern.search(response.text)
            if found:
                lines.append(
                    f"{learner['session']} {learner['csrf']} {found.group(1)} "
                    f"{self.plan.get('h5p_max_score') or 1}"
                )
        return lines

    def run_xapi(self):
        if not self.plan.get("lesson_h5p"):
            self.results["notes"].append("xAPI: no lesson with H5P in the demo")
            return
        lines = self.launch_tokens()
        if not lines:
            self.results["notes"].append("xAPI: no launch token found on the lesson")
            return
        tokens_file = WORK / "xapi-learners.txt"
        tokens_file.write_text("\n".join(lines) + "\n")
        session, csrf, launch = lines[0].split()[:3]
        maximum = self.plan.get("h5p_max_score") or 1
        probes = (
            ("probe", "interacted", None),
            (
                "scored probe",
                "answered",
                {
                    "score": {"min": 0, "raw": maximum, "max": maximum, "scaled": 1},
                    "success": True,
                    "completion": True,
                },
            ),
        )
        for name, verb, result in probes:
            statement = {
                "id": "00000000-0000-4000-8000-" + secrets.token_hex(6),
                "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
                "object": {
                    "id": "http://127.0.0.1/h5p/activity/bench",
                    "objectType": "Activity",
                },
            }
            if result is not None:
                statement["result"] = result
            answer = requests.post(
                self.base + "/h5p/xapi/",
                data=json.dumps({"launch": launch, "statement": statement}),
                headers={
                    "Cookie": f"sessionid={session}; csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                    "Content-Type": "application/json",
                },
                timeout=30,
            )
            if answer.status_code != 200:
                self.results["notes"].append(
                    f"xAPI {name} statement answered {answer.status_code}: "
                    f"{answer.text[:200]}"
                )
        for verb in ("interacted", "answered"):
            rounds = []
            for _ in range(self.args.rounds):
                figures = wrk(
                    self.base + "/h5p/xapi/",
                    connections=64,
                    duration=self.duration,
                    warmup=self.warmup,
                    script="xapi.lua",
                    env={"BENCH_XAPI_FILE": str(tokens_file), "BENCH_XAPI_VERB": verb},
                )
                rounds.append(figures)
                log(
                    f"xapi_{verb}: {figures['rps']} req/s, p99 {figures['p99_ms']} ms, "
                    f"errors {figures['error_count']}"
                )
            self.results["scenarios"][f"xapi_{verb}"] = dict(
                median_figures(rounds), learners=len(lines)
            )

    # -- quiz autosave and submission at 64

    def run_quiz(self, label=""):
        # One attempt per learner: a second start by the same learner would
        # return the same open attempt.
        count = len(self.plan["learners"])
        attempts = run(
            [
                PY,
                BENCH / "prepare.py",
                "quiz-attempts",
                f"--plan={WORK / 'plan.json'}",
                f"--count={count}",
            ],
            self.production,
        )["attempts"]
        job = {
            "mode": "quiz",
            "base": self.base,
            "concurrency": 64,
            "answers": self.plan["quiz"]["answers"],
            "attempts": attempts,
        }
        figures = run(
            [TOOLS_PY, BENCH / "loadclient.py"], os.environ, stdin=json.dumps(job)
        )
        ids_file = WORK / "quiz-attempts.json"
        ids_file.write_text(json.dumps([a["attempt"] for a in attempts]))
        check = run(
            [
                PY,
                BENCH / "prepare.py",
                "attempts-check",
                f"--quiz={self.plan['quiz']['id']}",
                f"--attempts-file={ids_file}",
            ],
            self.production,
        )
        for kind in ("autosave", "submit"):
            self.results["scenarios"][f"quiz_{kind}{label}"] = dict(
                figures[kind], connections=64, attempts=count
            )
        self.results["scenarios"][f"quiz_submit{label}"]["database_check"] = check
        if figures.get("error_samples"):
            self.results["notes"].append(f"quiz errors: {figures['error_samples']}")
        log(
            f"quiz{label}: autosave {figures['autosave']['rps']} req/s p99 "
            f"{figures['autosave']['p99_ms']} ms; submit {figures['submit']['rps']} "
            f"req/s p99 {figures['submit']['p99_ms']} ms; check {check}"
        )

    # -- dashboard

    def load_data(self, learners, clear=False):
        """The synthetic data set (refused in production: generated with the
        embedded settings on the same database). ``--clear`` only when a set
        is there to remove."""
        log(f"generate_load_data --learners {learners}{' --clear' if clear else ''}")
        started = time.perf_counter()
        run(
            [
                PY,
                "manage.py",
                "generate_load_data",
                f"--learners={learners}",
                "--courses=20",
                "--countries=20",
                *(["--clear"] if clear else []),
            ],
            self.embedded,
            timeout=900,
        )
        took = time.perf_counter() - started
        viewers = run([PY, BENCH / "prepare.py", "dashboard"], self.production)
        log(
            f"data set of {learners} learners in {took:.0f} s; report tables "
            f"rebuilt in {viewers['refresh_s']} s"
        )
        return viewers

    def run_dashboard(self, viewers, learners, label=""):
        for who in ("coordinator", "administrator"):
            cookie = f"Cookie: sessionid={viewers[who]}"
            ok, status, _size = check_page(
                self.base + "/en/coordinator/", "stat-grid", cookie.split(": ", 1)[1]
            )
            if not ok:
                self.results["notes"].append(f"dashboard {who}: answered {status}")
            figures = wrk(
                self.base + "/en/coordinator/",
                connections=1,
                duration=self.duration,
                warmup=min(self.warmup, 3),
                headers=(cookie,),
            )
            figures.update(learners_in_data=learners, facts=viewers["facts"])
            self.results["scenarios"][f"dashboard_{who}{label}"] = figures
            log(
                f"dashboard {who}{label} ({learners} learners): p50 "
                f"{figures['p50_ms']} ms, p95 {figures['p95_ms']} ms"
            )

    # -- certificates

    def run_certificates(self):
        ids = self.plan["certificates"].get("ids") or []
        if not ids:
            self.results["notes"].append(
                "certificates: no backlog "
                + str(self.plan["certificates"].get("error", ""))
            )
            return
        import psycopg

        ids_file = WORK / "certificate-ids.json"
        ids_file.write_text(json.dumps(ids))
        with psycopg.connect(f"{PG}/{DATABASES['product']}") as connection:
            done_before = connection.execute(
                "SELECT count(*) FROM certificates_certificate "
                "WHERE id = ANY(%s) AND status <> 'pending'",
                (ids,),
            ).fetchone()[0]
        if done_before:
            self.results["notes"].append(
                f"certificates: the backlog was already issued ({done_before}), "
                "as with --reuse: not measured"
            )
            return
        started = time.perf_counter()
        enqueued = run(
            [
                PY,
                BENCH / "prepare.py",
                "certificates-enqueue",
                f"--ids-file={ids_file}",
            ],
            self.production,
        )
        ready = 0
        deadline = time.time() + self.args.certificate_timeout
        with psycopg.connect(f"{PG}/{DATABASES['product']}") as connection:
            while time.time() < deadline:
                ready = connection.execute(
                    "SELECT count(*) FROM certificates_certificate "
                    "WHERE id = ANY(%s) AND status = 'issued' AND pdf_status = 'ready'",
                    (ids,),
                ).fetchone()[0]
                connection.commit()
                if ready >= len(ids):
                    break
                time.sleep(0.5)
            # From the first task enqueued to the last document written (the
            # enqueuing process's start-up and the polling interval are not
            # the workers' time).
            last_rendered = connection.execute(
                "SELECT extract(epoch FROM max(rendered_at)) "
                "FROM certificates_certificate WHERE id = ANY(%s)",
                (ids,),
            ).fetchone()[0]
        elapsed = time.perf_counter() - started
        if ready >= len(ids) and last_rendered and (enqueued or {}).get("started_at"):
            elapsed = float(last_rendered) - enqueued["started_at"]
        counts = run(
            [PY, BENCH / "prepare.py", "certificates-count", f"--ids-file={ids_file}"],
            self.production,
        )
        direct = subprocess.run(  # noqa: S603
            [
                PY,
                BENCH / "certificate_render.py",
                "-n",
                str(self.args.direct_renders),
                # The same template, fonts and text as the backlog.
                f"--like-certificate={ids[0]}",
            ],
            cwd=ROOT,
            env=self.production,
            capture_output=True,
            text=True,
            check=False,
        )
        found = re.search(r"median ([\d.]+) ms", direct.stdout)
        direct_ms = float(found.group(1)) if found else None
        per_certificate_ms = elapsed * 2 * 1000 / max(ready, 1)
        self.results["scenarios"]["certificates_backlog"] = {
            "backlog": len(ids),
            "ready": ready,
            "elapsed_s": round(elapsed, 1),
            "certificates_per_s": round(ready / elapsed, 2) if elapsed else None,
            "worker_processes": 2,
            "worker_ms_per_certificate": round(per_certificate_ms, 1),
            "direct_render_median_ms": direct_ms,
            "render_ratio": round(per_certificate_ms / direct_ms, 2)
            if direct_ms
            else None,
            "database_check": counts,
        }
        log(
            f"certificates: {ready}/{len(ids)} in {elapsed:.1f} s; worker "
            f"{per_certificate_ms:.0f} ms each vs direct {direct_ms} ms"
        )

    # -- page weight

    def run_page_weight(self, viewers):
        learner = self.plan["learners"][1 % len(self.plan["learners"])]
        pages = [
            ("catalogue", self.plan["catalogue"], None),
            ("lesson_text", self.plan["lesson_text"], learner["session"]),
        ]
        if self.plan.get("lesson_h5p"):
            pages.append(("lesson_h5p", self.plan["lesson_h5p"], learner["session"]))
        if viewers:
            pages.append(("dashboard", "/en/coordinator/", viewers["coordinator"]))
        job = {"base": self.base, "pages": pages}
        try:
            weights = run(
                [PY, BENCH / "pageweight.py"],
                self.production,
                stdin=json.dumps(job),
                timeout=300,
            )
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            self.results["notes"].append(f"page weight failed: {str(error)[:300]}")
            return
        self.results["page_weight"] = weights
        for name, visit in weights.items():
            log(
                f"page weight {name}: first {visit['first']['kib']} KiB / "
                f"{visit['first']['requests']} requests, repeat "
                f"{visit['repeat']['kib']} KiB"
            )

    # -- synchronized exam

    def exam_step(self, n):
        setup = run(
            [
                PY,
                BENCH / "prepare.py",
                "exam-setup",
                f"--count={n}",
                f"--questions={self.args.questions}",
            ],
            self.production,
            timeout=1800,
        )
        job = {
            "mode": "exam",
            "base": self.base,
            "quiz": setup["quiz"],
            "answers": setup["answers"],
            "learners": setup["learners"],
            "window_s": self.args.exam_window,
            "autosave_s": self.args.exam_autosave,
            "length_s": self.args.exam_length,
            "submit_spread_s": self.args.exam_submit_spread,
        }
        figures = run(
            [TOOLS_PY, BENCH / "loadclient.py"],
            os.environ,
            stdin=json.dumps(job),
            timeout=1800,
        )
        users_file = WORK / "exam-users.json"
        users_file.write_text(
            json.dumps([learner["user"] for learner in setup["learners"]])
        )
        check = run(
            [
                PY,
                BENCH / "prepare.py",
                "attempts-check",
                f"--quiz={setup['quiz']}",
                f"--users-file={users_file}",
            ],
            self.production,
        )
        p95 = figures["all"]["p95_ms"] or 0
        held = (
            p95 < 1000
            and figures["all"]["errors"] == 0
            and check["attempts"] == n
            and check["finished"] == n
            and check["full_marks"] == n
            and check["grades"] == n
            and check["duplicated_attempts"] == 0
            and check["duplicated_grades"] == 0
            and check["unanswered_slots"] == 0
        )
        step = {
            "learners": n,
            "held": held,
            "p95_ms": p95,
            "p99_ms": figures["all"]["p99_ms"],
            "errors": figures["all"]["errors"],
            "by_request": {
                k: figures[k] for k in ("open", "autosave", "submit") if k in figures
            },
            "database_check": check,
        }
        if figures.get("error_samples"):
            step["error_samples"] = figures["error_samples"]
        log(
            f"exam N={n}: {'held' if held else 'NOT held'} (p95 {p95} ms, errors "
            f"{figures['all']['errors']}, finished {check['finished']}, grades "
            f"{check['grades']}, full marks {check['full_marks']})"
        )
        return step

    def run_exam(self):
        """Step search: from the start value, double N while it holds (up to
        the cap), or halve it while it is missed (down to an eighth of the
        start); then one bisection step between the last N held and the first
        missed; all within the time budget."""
        deadline = time.time() + self.args.exam_budget
        step_time = self.args.exam_window + self.args.exam_length + 20

        def room():
            return time.time() + step_time < deadline

        steps, n, best, worst = [], self.args.exam_start, 0, None
        floor = max(1, self.args.exam_start // 8)
        while room():
            step = self.exam_step(n)
            steps.append(step)
            if step["held"]:
                best = max(best, n)
                if worst is not None or n >= self.args.exam_cap:
                    break
                n = min(n * 2, self.args.exam_cap)
            else:
                worst = n if worst is None else min(worst, n)
                if best or n // 2 < floor:
                    break
                n //= 2
        if worst and best and worst - best > best // 4 and room():
            middle = (best + worst) // 2
            step = self.exam_step(middle)
            steps.append(step)
            if step["held"]:
                best = middle
            else:
                worst = middle
        self.results["synchronized_exam"] = {
            "largest_n_held": best,
            "first_n_missed": worst,
            "cap": self.args.exam_cap,
            "budget_s": self.args.exam_budget,
            "shape": (
                f"open within {self.args.exam_window} s, autosave every "
                f"{self.args.exam_autosave} s, each learner's exam "
                f"{self.args.exam_length} s from their own start, handed in "
                f"within its last {self.args.exam_submit_spread} s; held = p95 "
                "< 1 s over all requests, zero errors, every attempt finished "
                "once with one grade, full marks and every answer saved"
            ),
            "search": f"from {self.args.exam_start}: doubling while held (cap "
            f"{self.args.exam_cap}) or halving while missed (down to {floor}), "
            "then one bisection step, within the time budget",
            "steps": steps,
        }

    # -- the whole run

    def go(self):
        self.setup()
        self.serve()
        small = max(100, self.args.dashboard_learners // 10)
        viewers = None
        if not self.args.skip_dashboard:
            # Growth: lesson, submission and dashboard at a tenth of the data first.
            viewers = self.load_data(small, clear=self.args.reuse)
            self.run_dashboard(viewers, small, label="@tenth")
            self.run_pages(["lesson_text"], label="@tenth")
            self.run_quiz(label="@tenth")
            viewers = self.load_data(self.args.dashboard_learners, clear=True)
            self.results["data_set"] = {
                "learners": self.args.dashboard_learners,
                "tenth": small,
                "command": "manage.py generate_load_data --courses 20 --countries 20",
            }
        self.run_pages()
        self.run_xapi()
        self.run_quiz()
        if viewers:
            self.run_dashboard(viewers, self.args.dashboard_learners)
        self.run_certificates()
        self.run_page_weight(viewers)
        if not self.args.skip_exam:
            self.run_exam()


# -------------------------------------------------------------------- report


def ratio(a, b):
    if not a or not b:
        return None
    return round(a / b, 2)


def summarise(results):
    s = results["scenarios"]

    def rps(name):
        return (s.get(name) or {}).get("rps")

    rows = []

    def row(name, reference, target=None):
        if name not in s:
            return
        figures = s[name]
        rows.append(
            {
                "scenario": name,
                "reference": reference,
                "ratio": ratio(rps(name), rps(reference)),
                "rps": figures.get("rps"),
                "p50_ms": figures.get("p50_ms"),
                "p95_ms": figures.get("p95_ms"),
                "p99_ms": figures.get("p99_ms"),
                "errors": figures.get("error_count", figures.get("errors")),
                "connections": figures.get("connections"),
                "target": target,
            }
        )

    row("ref_bare", "ref_bare")
    row("ref_wagtail_anonymous", "ref_wagtail_anonymous")
    row("ref_wagtail_logged_in", "ref_wagtail_logged_in")
    row("ref_wagtail_lms_lesson", "ref_wagtail_logged_in")
    row("ref_insert", "ref_insert")
    row("catalogue_anonymous", "ref_wagtail_anonymous")
    row("course_anonymous", "ref_wagtail_anonymous")
    row("lesson_text", "ref_wagtail_lms_lesson", ">= 1.5x wagtail-lms, p99 < 250 ms")
    row("lesson_h5p", "ref_wagtail_lms_lesson", ">= 1.5x wagtail-lms, p99 < 250 ms")
    row("quiz_autosave", "ref_insert", ">= 0.25x insert, p99 < 250 ms")
    row("quiz_submit", "ref_insert", ">= 0.25x insert, p99 < 250 ms")
    row("xapi_interacted", "ref_insert", ">= 0.25x insert, p99 < 250 ms")
    row("xapi_answered", "ref_insert", ">= 0.25x insert, p99 < 250 ms")
    row("dashboard_coordinator", "ref_wagtail_logged_in", "< 100 ms")
    row("dashboard_administrator", "ref_wagtail_logged_in", "< 150 ms")
    results["table"] = rows
    growth = []
    for name in (
        "lesson_text",
        "quiz_submit",
        "dashboard_coordinator",
        "dashboard_administrator",
    ):
        full, tenth = s.get(name), s.get(name + "@tenth")
        if full and tenth:
            growth.append(
                {
                    "scenario": name,
                    "rps_tenth": tenth.get("rps"),
                    "rps_full": full.get("rps"),
                    "p50_ms_tenth": tenth.get("p50_ms"),
                    "p50_ms_full": full.get("p50_ms"),
                    "growth_p50": ratio(full.get("p50_ms"), tenth.get("p50_ms")),
                }
            )
    results["growth"] = growth


def markdown(results):
    m = results["machine"]
    lines = [
        f"# make bench: {results['mode']} run, {results['date']}"
        + (
            f" (`{' '.join(results['arguments'])}`)" if results.get("arguments") else ""
        ),
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['ram_mib']} MiB RAM, "
        f"load average at start {m['load_average_at_start']}. "
        + results["settings"].get("wrk", ""),
        "",
        "| scenario | ratio | vs | req/s | p50 ms | p95 ms | p99 ms | errors "
        "| conns | target |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results.get("table", []):
        lines.append(
            f"| {r['scenario']} | {r['ratio']} | {r['reference']} | {r['rps']} | "
            f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['errors']} | "
            f"{r['connections']} | {r['target'] or ''} |"
        )
    if results.get("growth"):
        lines += [
            "",
            f"Growth, a tenth of the data ({results['data_set']['tenth']} learners) "
            f"to all of it ({results['data_set']['learners']}):",
            "",
            "| scenario | req/s tenth | req/s full | p50 ms tenth | p50 ms full "
            "| growth of p50 |",
            "|---|---|---|---|---|---|",
        ]
        for g in results["growth"]:
            lines.append(
                f"| {g['scenario']} | {g['rps_tenth']} | {g['rps_full']} | "
                f"{g['p50_ms_tenth']} | {g['p50_ms_full']} | {g['growth_p50']} |"
            )
    certificates = results["scenarios"].get("certificates_backlog")
    if certificates:
        lines += [
            "",
            f"Certificates: backlog of {certificates['backlog']}, "
            f"{certificates['ready']} issued and rendered in "
            f"{certificates['elapsed_s']} s ({certificates['certificates_per_s']}/s) "
            f"by {certificates['worker_processes']} worker processes; "
            f"{certificates['worker_ms_per_certificate']} ms of worker time each "
            f"against a direct render of {certificates['direct_render_median_ms']} ms "
            f"(ratio {certificates['render_ratio']}); database: "
            f"{certificates['database_check']}.",
        ]
    if results.get("page_weight"):
        lines += [
            "",
            "| page weight | first visit KiB | requests | repeat visit KiB "
            "| requests (from browser cache) |",
            "|---|---|---|---|---|",
        ]
        for name, visit in results["page_weight"].items():
            repeat = visit["repeat"]
            lines.append(
                f"| {name} | {visit['first']['kib']} | {visit['first']['requests']} | "
                f"{repeat['kib']} | {repeat['requests']} "
                f"({repeat['from_browser_cache']}) |"
            )
    exam = results.get("synchronized_exam")
    if exam:
        lines += [
            "",
            f"Synchronized exam: largest N held **{exam['largest_n_held']}** "
            f"(first missed: {exam['first_n_missed']}; cap {exam['cap']}, budget "
            f"{exam['budget_s']} s). {exam['shape']}. Search: {exam['search']}.",
            "",
            "| N | held | p95 ms | p99 ms | errors | finished | grades | full marks |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for step in exam["steps"]:
            check = step["database_check"]
            lines.append(
                f"| {step['learners']} | {step['held']} | {step['p95_ms']} | "
                f"{step['p99_ms']} | {step['errors']} | {check['finished']} | "
                f"{check['grades']} | {check['full_marks']} |"
            )
    if results.get("notes"):
        lines += ["", "Notes:", ""] + [f"- {note}" for note in results["notes"]]
    if results.get("failed"):
        lines += ["", f"**The run stopped early:** {results['failed']}"]
    return "\n".join(lines) + "\n"


def write(results):
    summarise(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(markdown(results))
    log("wrote bench/results/latest.json and bench/results/latest.md")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument(
        "--large",
        action="store_true",
        help="the dashboard on 100,000 learners (about 4 more minutes)",
    )
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--skip-exam", action="store_true")
    parser.add_argument("--skip-dashboard", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the databases and data of the previous run (debugging the "
        "harness; the figures of a fresh run are the ones to report)",
    )
    args = parser.parse_args()
    quick = args.quick
    defaults = {
        "rounds": 1 if quick else 3,
        "duration": 5 if quick else 8,
        "warmup": 2 if quick else 2,
        "learners": 64,
        "questions": 10,
        "certificates": 40 if quick else 1000,
        "certificate_timeout": 120 if quick else 300,
        "direct_renders": 5 if quick else 20,
        "dashboard_learners": 500 if quick else (100_000 if args.large else 10_000),
        "exam_start": 16 if quick else 2000,
        "exam_cap": 32 if quick else 8000,
        "exam_budget": 120 if quick else 420,
        "exam_window": 5 if quick else 30,
        "exam_autosave": 5 if quick else 30,
        "exam_length": 10 if quick else 50,
        "exam_submit_spread": 2 if quick else 10,
    }
    for key, value in defaults.items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    tools()
    bench = Bench(args)
    try:
        bench.go()
    except KeyboardInterrupt:
        bench.results["failed"] = "interrupted"
        raise
    except Exception as error:
        bench.results["failed"] = f"{type(error).__name__}: {str(error)[:2000]}"
        raise
    finally:
        log("stopping everything this run started")
        stop_all()
        bench.results["elapsed_s"] = round(time.perf_counter() - started, 1)
        bench.results["machine"]["load_average_at_end"] = [
            round(x, 2) for x in os.getloadavg()
        ]
        write(bench.results)
        log(f"done in {bench.results['elapsed_s']} s")


if __name__ == "__main__":
    main()
