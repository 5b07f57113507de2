"""The last hour before a deadline: many applicants log in, edit, save, upload a PDF and submit at once.

Run: .venv/bin/python bench/deadline_rush.py [--applicants 200] [--think 8] [--ramp 120] [--fault none|pg-restart|kill-worker]
      (PostgreSQL at BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres: the script creates a
       throw-away database there, migrates it, serves it with gunicorn on 127.0.0.1 and drops it at the end)

Each applicant is a thread with its own cookies, CSRF token and X-Forwarded-For address (the site runs as in
production, behind one trusted proxy, so that login lockouts count per applicant as they would). Between steps it
thinks for a random time around --think seconds (scaled down from the minutes a person takes, so the run lasts a
few minutes). One in four double-clicks Submit (two requests at once); one in ten forgets the commitment, is refused
and submits again. It prints requests, errors by status and p50/p95 per step, then checks the database.

--fault pg-restart restarts PostgreSQL (pg_ctlcluster, as root) in the middle of the run; --fault kill-worker sends
SIGKILL to a gunicorn worker caught busy (its CPU time advancing) while an upload is in flight. Either then prints what the clients saw and how many seconds passed until answers
came back, and checks that nothing is half-written: no attachment row without its file, no file without its row,
no application submitted without its event and review process.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SUCCESS_TEXT = "已提交。组织单位将审查申报材料是否齐全。"
PASSWORD = "Correct-horse-315"
P95_LIMIT = 1.5
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# ---------------------------------------------------------------- the load generator ----------------------------


@dataclass
class Record:
    step: str
    start: float
    seconds: float
    status: int  # 0: the connection failed
    retry_after: str | None = None


@dataclass
class Log:
    records: list[Record] = field(default_factory=list)
    submit_answers: Counter = field(default_factory=Counter)  # success / refused / error
    lock: threading.Lock = field(default_factory=threading.Lock)
    uploads_in_flight: int = 0  # so that --fault kill-worker can strike while a PDF is on its way in

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)


class Browser:
    """One applicant's browser: a keep-alive connection, its cookies, the proxy's headers."""

    def __init__(self, port: int, address: str, log: Log, cookies: dict | None = None) -> None:
        self.port, self.address, self.log = port, address, log
        self.cookies: dict[str, str] = dict(cookies or {})
        self.connection: http.client.HTTPConnection | None = None

    def clone(self) -> Browser:
        """A second tab with the same cookies: the second click of a double-click."""
        return Browser(self.port, self.address, self.log, self.cookies)

    def request(self, step: str, method: str, path: str, body: bytes | None = None, content_type: str = "") -> tuple:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Referer": origin + path,
            "Accept-Language": "zh-CN,zh;q=0.9",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if method == "POST":
            headers["Origin"] = origin
            headers["Content-Type"] = content_type
        start = time.perf_counter()
        uploading = step.startswith("upload")
        if uploading:
            with self.log.lock:
                self.log.uploads_in_flight += 1
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            self.log.add(Record(step, start, time.perf_counter() - start, 0))
            return 0, {}, b""
        finally:
            if uploading:
                with self.log.lock:
                    self.log.uploads_in_flight -= 1
        self.log.add(
            Record(step, start, time.perf_counter() - start, response.status, response.getheader("Retry-After"))
        )
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower() or value in ('""', ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, dict(response.getheaders()), content

    def get(self, step: str, path: str) -> tuple:
        return self.request(step, "GET", path)

    def post(self, step: str, path: str, fields: dict, files: dict | None = None) -> tuple:
        if files:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    "Content-Type: application/pdf\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            return self.request(step, "POST", path, body, f"multipart/form-data; boundary={boundary}")
        body = urllib.parse.urlencode(fields).encode()
        return self.request(step, "POST", path, body, "application/x-www-form-urlencoded")


def pdf_of(size: int) -> bytes:
    """A valid one-page PDF of about `size` bytes: a scan's worth of incompressible image data."""
    data = secrets.token_bytes(size)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> >>",
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Length %d >>\nstream\n" % (len(data), len(data)) + data + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def with_retry(call, attempts: int = 6):
    """A person who meets the outage page waits as it says (scaled down) and tries again."""
    for _ in range(attempts):
        status, headers, content = call()
        if status not in (0, 502, 503):
            return status, headers, content
        time.sleep(min(float(headers.get("Retry-After", 2) or 2), 3))
    return status, headers, content


def csrf(content: bytes) -> str:
    match = CSRF_RE.search(content.decode("utf-8", "replace"))
    return match.group(1) if match else ""


def applicant(n: int, args, plan: dict, pdfs: list[bytes], log: Log, start_at: float) -> None:
    rng = random.Random(n)
    think = lambda: time.sleep(rng.expovariate(1 / args.think))  # noqa: E731

    time.sleep(max(0.0, start_at - time.perf_counter()) + rng.uniform(0, args.ramp))
    browser = Browser(plan["port"], f"10.{n // 250}.{n % 250}.{rng.randint(1, 250)}", log)
    _, _, page = with_retry(lambda: browser.get("login page", "/accounts/login/"))
    think()
    fields = {"csrfmiddlewaretoken": csrf(page), "username": plan["usernames"][n], "password": PASSWORD}
    status, _, _ = with_retry(lambda: browser.post("log in", "/accounts/login/", fields))
    if status != 302:
        return
    _, _, page = with_retry(lambda: browser.get("programmes", "/programs/"))
    status, headers, _ = with_retry(
        lambda: browser.post(
            "start application", f"/programs/{plan['slug']}/apply/", {"csrfmiddlewaretoken": csrf(page)}
        )
    )
    edit = urllib.parse.urlsplit(headers.get("Location", "")).path
    if status != 302 or not edit.endswith("/edit/"):
        return
    _, _, page = with_retry(lambda: browser.get("application form", edit))
    think()
    form = {"csrfmiddlewaretoken": csrf(page), "summary": "诚信经营，投诉按时办结。" * 20}
    for pk, is_veto, max_points in plan["criteria"][: len(plan["criteria"]) // 2]:
        form[f"criterion_{pk}"] = "no" if is_veto else str(max_points)
        form[f"criterion_{pk}_note"] = "见附件。"
    with_retry(lambda: browser.post("save draft", edit, {**form, "save": "1"}))
    think()
    for pk, is_veto, max_points in plan["criteria"]:
        form[f"criterion_{pk}"] = "no" if is_veto else str(max_points)
    form["commitment_accepted"] = "on"
    upload = {**form, "upload": "1", "kind": "business_licence"}
    with_retry(lambda: browser.post("upload 2-8 MB PDF", edit, upload, {"file": ("营业执照.pdf", rng.choice(pdfs))}))
    think()
    forgets = rng.random() < 0.10
    if forgets:
        _submit(browser, edit, {k: v for k, v in form.items() if k != "commitment_accepted"}, log, double=False)
        think()
    _submit(browser, edit, form, log, double=rng.random() < 0.25)


def _submit(browser: Browser, edit: str, form: dict, log: Log, double: bool) -> None:
    clicks = [browser, browser.clone()] if double else [browser]
    threads = [
        threading.Thread(target=_click, args=(tab, edit, form, log, "submit (2nd click)" if i else "submit"))
        for i, tab in enumerate(clicks)
    ]
    for thread in threads:
        thread.start()
        time.sleep(0.05)  # a double-click: the second press 50 ms after the first
    for thread in threads:
        thread.join()


def _click(tab: Browser, edit: str, form: dict, log: Log, step: str) -> None:
    status, headers, content = tab.post(step, edit, {**form, "submit": "1"})
    for _ in range(3):  # as a browser, follow the redirects to the page that says what happened
        if status != 302:
            break
        status, headers, content = tab.get("page after submit", urllib.parse.urlsplit(headers["Location"]).path)
    if status != 200:
        answer = "error"
        print(f"  {step}: answer {status}", file=sys.stderr)
    elif SUCCESS_TEXT in content.decode("utf-8", "replace"):
        answer = "success"
    else:
        answer = "refused"
    with log.lock:
        log.submit_answers[answer] += 1


# ---------------------------------------------------------------- the server and the database ------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, var_dir: str) -> dict:
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "DJANGO_VAR_DIR": var_dir,
        "DJANGO_PRIVATE_MEDIA_ROOT": str(Path(var_dir) / "private"),
        "DJANGO_STATIC_ROOT": str(Path(var_dir) / "static"),
        "TRUSTED_PROXY_COUNT": "1",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def create_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(applicants: int) -> dict:
    """Applicants with verified enterprises and a programme that closes in an hour; in the server's environment."""
    import datetime

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from tests.factories import EnterpriseFactory, ProgramFactory

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    hashed = make_password(PASSWORD)  # once: the same hash serves every account, the login checks it in full
    users = User.objects.bulk_create(User(username=f"rush{n}@example.com", password=hashed) for n in range(applicants))
    for user in users:
        EnterpriseFactory(account=user)
    program = ProgramFactory(closes_at=timezone.now() + datetime.timedelta(hours=1))
    return {
        "usernames": [u.username for u in users],
        "slug": program.slug,
        "criteria": [(c.pk, c.is_veto, c.max_points) for c in program.criteria.all()],
    }


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["DJANGO_VAR_DIR"]) / "gunicorn.log", "w"),  # noqa: SIM115
    )
    # Ready when every worker answers: each imports the application on its own.
    answered = 0
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/healthz/", headers={"X-Forwarded-Proto": "https"})
            connection.getresponse().read()
            answered += 1
            if answered >= workers * 2:
                return server
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start; see gunicorn.log")


# ---------------------------------------------------------------- faults ------------------------------------------


class Probe(threading.Thread):
    """Asks /verify/<serial>.json five times a second and keeps what came back, to time an outage."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port, self.seen, self.running = port, [], True

    def run(self) -> None:
        browser = Browser(self.port, "10.250.0.1", Log())
        number = 0
        while self.running:
            # Five a second from one address would soon meet the verification rate limit (429), which is no outage.
            number += 1
            browser.address = f"10.250.{number // 250 % 250}.{number % 250 + 1}"
            status, headers, content = browser.get("probe", "/verify/NOPE-000000.json")
            self.seen.append((time.perf_counter(), status, headers.get("Retry-After"), content[:200]))
            time.sleep(0.2)


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _busy_worker(pids: list[int], log: Log, patience: float = 30.0) -> int:
    """A worker caught receiving or checking an upload (one in flight, its CPU time advancing), to kill mid-request."""
    deadline = time.perf_counter() + patience
    while time.perf_counter() < deadline:
        if not log.uploads_in_flight:
            time.sleep(0.005)
            continue
        before = {pid: _cpu_ticks(pid) for pid in pids}
        time.sleep(0.01)
        busy = [pid for pid in pids if _cpu_ticks(pid) > before[pid]]
        if busy and log.uploads_in_flight:
            return busy[0]
    return pids[0]


def inject(fault: str, server: subprocess.Popen, probe: Probe, log: Log) -> dict:
    at = time.perf_counter()
    if fault == "pg-restart":
        subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)
        back = time.perf_counter()
        return {"fault": "PostgreSQL restarted (pg_ctlcluster 15 main restart)", "at": at, "db_back": back}
    workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    victim = _busy_worker([int(pid) for pid in workers], log)
    os.kill(victim, signal.SIGKILL)
    while True:  # the master notices and starts another
        now = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        if len(now) >= len(workers) and str(victim) not in now:
            break
        time.sleep(0.05)
    replaced = time.perf_counter() - at
    return {
        "fault": f"gunicorn worker {victim} killed with SIGKILL, replaced in {replaced:.1f} s",
        "at": at,
        "db_back": at,
    }


def report_fault(info: dict, probe: Probe, log: Log) -> None:
    at = info["at"]
    print(f"\nFault: {info['fault']}")
    if info["db_back"] > at:
        print(f"  PostgreSQL down and up again in {info['db_back'] - at:.1f} s (pg_ctlcluster returned)")
    during = [r for r in log.records if r.start + r.seconds >= at - 0.5 and r.start <= info["db_back"] + 15]
    answers = Counter(r.status for r in during)
    print(
        f"  applicants' answers from the fault until 15 s after: {dict(sorted(answers.items()))} (0 = connection failed)"
    )
    unavailable = [r for r in log.records if r.status == 503]
    print(f"  503 answers in all: {len(unavailable)}, with Retry-After: {sum(1 for r in unavailable if r.retry_after)}")
    failures = [t for t, status, _, _ in probe.seen if t >= at and status not in (404,)]
    bad_probe = [(status, body) for t, status, _, body in probe.seen if t >= at and status not in (404, 503, 0)]
    if failures:
        last = max(failures)
        print(
            f"  probe /verify/<serial>.json: {len(failures)} failed answers; the last {last - at:.1f} s after the fault,"
            f" {last - info['db_back']:.1f} s after PostgreSQL was back"
        )
    else:
        print("  probe /verify/<serial>.json: no failed answer")
    json_503 = [body for t, status, _, body in probe.seen if status == 503]
    if json_503:
        print(f"  a 503 the probe saw: {json_503[0].decode('utf-8', 'replace')}")
    if bad_probe:
        print(f"  UNEXPECTED probe answers: {bad_probe[:3]}")
    after = [r for r in log.records if r.start > info["db_back"] + 5]
    print(f"  answers from 5 s after recovery on: {dict(sorted(Counter(r.status for r in after).items()))}")


# ---------------------------------------------------------------- checks -----------------------------------------


def check_database(log: Log, fault: str) -> list[str]:
    """What the database holds against what the applicants were told; the list of failed checks."""
    import hashlib

    from django.db import connection
    from django.db.models import Count

    from awards.models import Application, ApplicationEvent, ApplicationStatus, Attachment
    from workflows.models import ApplicationProcess

    connection.close()  # the connection from before a restart is gone
    failed = []
    submitted = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    events = ApplicationEvent.objects.filter(action=ApplicationEvent.Action.SUBMITTED)
    twice = events.values("application").annotate(n=Count("id")).filter(n__gt=1).count()
    refusals = ApplicationEvent.objects.filter(action=ApplicationEvent.Action.SUBMIT_REFUSED).count()
    processes = ApplicationProcess.objects.values("application").annotate(n=Count("id"))
    answers = log.submit_answers
    print("\nDatabase:")
    print(f"  submitted applications: {submitted.count()}; successful submit answers: {answers['success']}")
    print(
        f"  applications submitted twice: {twice}; with more than one review process: "
        f"{processes.filter(n__gt=1).count()}"
    )
    print(
        f"  refusals recorded: {refusals}; refused submit answers: {answers['refused']}; "
        f"submit answers lost (error or no connection): {answers['error']}"
    )
    if twice or processes.filter(n__gt=1).exists():
        failed.append("an application was submitted twice")
    if fault == "none":
        if submitted.count() != answers["success"]:
            failed.append("submitted applications differ from successful answers")
        if refusals != answers["refused"]:
            failed.append("refusals recorded differ from refused answers")
    else:
        # An answer lost with a killed worker may belong to a submission that committed: never more successes
        # than submissions, never more than submissions plus lost answers.
        if not answers["success"] <= submitted.count() <= answers["success"] + answers["error"]:
            failed.append("submitted applications do not match the answers")
    half = submitted.exclude(submitted_at__isnull=False).count()
    half += submitted.exclude(pk__in=events.values("application")).count()
    half += submitted.exclude(pk__in=ApplicationProcess.objects.values("application")).count()
    print(f"  applications half-submitted (no time, no event or no process): {half}")
    if half:
        failed.append("an application is half-submitted")
    from django.core.files.storage import default_storage

    rows = {a.file.name: a for a in Attachment.objects.all()}
    root = Path(default_storage.location)
    files = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    missing = [name for name in rows if name not in files]
    orphans = [name for name in files if name not in rows]
    corrupt = [
        name
        for name, a in rows.items()
        if name in files and hashlib.sha256((root / name).read_bytes()).hexdigest() != a.sha256
    ]
    print(
        f"  attachments: {len(rows)} rows; without their file: {len(missing)}; files without a row: "
        f"{len(orphans)}; files not matching their checksum: {len(corrupt)}"
    )
    if missing or orphans or corrupt:
        failed.append("attachments and files disagree")
    return failed


def report_requests(log: Log, fault: str) -> list[str]:
    failed = []
    by_step = defaultdict(list)
    for record in log.records:
        by_step[record.step].append(record)
    statuses = Counter(r.status for r in log.records)
    print(f"\nRequests: {len(log.records)}; by status: {dict(sorted(statuses.items()))} (0 = connection failed)")
    print(f"{'step':<24}{'requests':>9}{'errors':>8}{'p50 s':>8}{'p95 s':>8}")
    for step, records in by_step.items():
        times = sorted(r.seconds for r in records)
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        errors = sum(1 for r in records if r.status == 0 or r.status >= 400)
        print(f"{step:<24}{len(records):>9}{errors:>8}{p50:>8.3f}{p95:>8.3f}")
        if fault == "none" and p95 >= P95_LIMIT:
            failed.append(f"p95 of {step} is {p95:.2f} s")
    server_errors = {s: n for s, n in statuses.items() if s >= 500}
    if fault == "none" and server_errors:
        failed.append(f"server errors: {server_errors}")
    if fault != "none" and any(s >= 500 and s != 503 for s in server_errors):
        failed.append(f"server errors other than the outage page: {server_errors}")
    return failed


# ---------------------------------------------------------------- main -------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=200)
    parser.add_argument("--think", type=float, default=8.0, help="mean think time between steps, seconds")
    parser.add_argument("--ramp", type=float, default=120.0, help="applicants arrive spread over this many seconds")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (2 x cores + 1)")
    parser.add_argument("--fault", choices=["none", "pg-restart", "kill-worker"], default="none")
    parser.add_argument("--fault-after", type=float, default=90.0, help="seconds into the run")
    args = parser.parse_args()

    admin_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"award315_rush_{os.getpid()}"
    database_url = admin_url.rsplit("/", 1)[0] + "/" + name
    var_dir = tempfile.mkdtemp(prefix="award315-rush-")
    env = server_env(database_url, var_dir)
    os.environ.update(env)  # this process seeds and checks the same database as the server
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    create_database(admin_url, name)
    server, failed = None, []
    try:
        plan = seed(args.applicants)
        plan["port"] = port = free_port()
        server = start_gunicorn(env, port, args.workers)
        rng = random.Random(315)
        pdfs = [pdf_of(rng.randint(2_000_000, 8_000_000)) for _ in range(8)]
        log = Log()
        print(
            f"{args.applicants} applicants, think time ~{args.think} s, arriving over {args.ramp} s; gunicorn "
            f"{args.workers} sync workers on 127.0.0.1:{port}; PostgreSQL {name}; fault: {args.fault}; "
            f"load average before: {os.getloadavg()[0]:.1f}"
        )
        start_at = time.perf_counter() + 0.5
        threads = [
            threading.Thread(target=applicant, args=(n, args, plan, pdfs, log, start_at), daemon=True)
            for n in range(args.applicants)
        ]
        for thread in threads:
            thread.start()
        probe = Probe(port)
        probe.start()
        info = None
        if args.fault != "none":
            time.sleep(max(0.0, start_at + args.fault_after - time.perf_counter()))
            info = inject(args.fault, server, probe, log)
        for thread in threads:
            thread.join()
        probe.running = False
        elapsed = time.perf_counter() - start_at
        print(f"run took {elapsed:.0f} s; load average at the end: {os.getloadavg()[0]:.1f}")
        failed = report_requests(log, args.fault)
        if info:
            report_fault(info, probe, log)
        failed += check_database(log, args.fault)
        print("\nChecks: " + ("all passed" if not failed else "FAILED: " + "; ".join(failed)))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        from django.db import connections

        connections.close_all()
        drop_database(admin_url, name)
        shutil.rmtree(var_dir, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
