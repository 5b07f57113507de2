"""The production set-up as the README documents it: gunicorn, the Procfile, nginx and the systemd units."""

from __future__ import annotations

import json
import os
import re
import runpy
import shutil
import socket
import subprocess  # nosec B404: runs nginx, systemd-analyze and openssl on files of this repository
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY = BASE_DIR / "deploy"
README = (BASE_DIR / "README.md").read_text()
NGINX = (DEPLOY / "nginx.conf").read_text()
WEB_UNIT = (DEPLOY / "award315-web.service").read_text()
WORKER_UNIT = (DEPLOY / "award315-worker@.service").read_text()


def _gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("DJANGO_ENV", "PORT", "GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))


def test_gunicorn_serves_the_project_behind_the_proxy_with_room_for_uploads(monkeypatch):
    config = _gunicorn_settings(monkeypatch)
    assert config["wsgi_app"] == settings.WSGI_APPLICATION.replace(".application", ":application")
    assert config["bind"] == "127.0.0.1:8000"
    assert config["timeout"] >= 60
    assert config["accesslog"] == "-"
    assert "{x-request-id}o" in config["access_log_format"]
    assert "logconfig_dict" not in config


def test_gunicorn_takes_its_figures_from_the_environment(monkeypatch):
    config = _gunicorn_settings(monkeypatch, PORT="5000", WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="90")
    assert (config["bind"], config["workers"], config["timeout"]) == ("0.0.0.0:5000", 3, 90)
    assert _gunicorn_settings(monkeypatch, GUNICORN_BIND="unix:/run/award315.sock")["bind"] == "unix:/run/award315.sock"


def test_gunicorn_logs_json_lines_in_production(monkeypatch):
    config = _gunicorn_settings(monkeypatch, DJANGO_ENV="production")
    formatter = config["logconfig_dict"]["formatters"]["json"]["()"]
    assert formatter == "config.json_log.JsonFormatter"
    assert config["logconfig_dict"]["handlers"]["stdout"]["stream"] == "ext://sys.stdout"


def test_the_readme_the_procfile_and_the_web_unit_run_the_same_gunicorn():
    command = "gunicorn --config gunicorn.conf.py"
    assert command in README
    assert f"web: .venv/bin/{command}" in (BASE_DIR / "Procfile").read_text()
    assert f"ExecStart=/srv/award315/.venv/bin/{command}" in WEB_UNIT


def test_the_procfile_releases_and_runs_workers_as_the_readme_says():
    procfile = (BASE_DIR / "Procfile").read_text()
    for step in ("createcachetable", "migrate --no-input", "collectstatic --no-input"):
        assert f"manage.py {step}" in procfile
    assert "worker: .venv/bin/python manage.py worker\n" in procfile


def test_the_worker_unit_runs_the_worker_command():
    assert "ExecStart=/srv/award315/.venv/bin/python manage.py worker --worker-id %H-%i" in WORKER_UNIT
    assert "deploy/award315-worker@.service" in README


def test_nginx_buffers_slow_clients_and_passes_what_the_application_reads():
    for directive in (
        "proxy_buffering on;",
        "proxy_request_buffering on;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Request-ID $award315_request_id;",
        "server 127.0.0.1:8000",
    ):
        assert directive in NGINX
    assert "TRUSTED_PROXY_COUNT=1" in NGINX
    assert "TRUSTED_PROXY_COUNT=1" in README


def test_nginx_accepts_the_largest_upload_and_little_more():
    body_mb = int(re.search(r"client_max_body_size (\d+)m;", NGINX).group(1))
    assert settings.UPLOAD_MAX_BYTES // (1024 * 1024) < body_mb <= settings.UPLOAD_MAX_BYTES // (1024 * 1024) + 5


def test_the_proxy_timeout_outlasts_gunicorns(monkeypatch):
    read_timeout = int(re.search(r"proxy_read_timeout (\d+)s;", NGINX).group(1))
    assert read_timeout > _gunicorn_settings(monkeypatch)["timeout"]


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed (apt-get install nginx-light)")
@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")
def test_nginx_accepts_the_example(tmp_path):
    key, certificate = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    subprocess.run(  # nosec B603 B607: fixed arguments
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=awards.example.org",
         "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = tmp_path / "award315.conf"
    site.write_text(NGINX.replace("/etc/ssl/award315/", f"{tmp_path}/").replace("/var/log/nginx/", f"{tmp_path}/"))
    main = tmp_path / "nginx.conf"
    main.write_text(f"events {{}}\nhttp {{\n  access_log off;\n  include {site};\n}}\n")
    checked = subprocess.run(  # nosec B603 B607: fixed arguments
        ["nginx", "-t", "-q", "-p", str(tmp_path), "-c", str(main), "-g", f"pid {tmp_path}/nginx.pid; error_log stderr;"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
@pytest.mark.parametrize("unit", ["award315-web.service", "award315-worker@.service"])
def test_systemd_accepts_the_units(tmp_path, unit):
    # The units name the installed paths; verify them with the paths of this checkout and the running user.
    text = (DEPLOY / unit).read_text().replace("/srv/award315", str(BASE_DIR)).replace("/etc/award315.env", "-/dev/null")
    text = re.sub(r"(?m)^(User|Group)=award315$", r"\1=root", text)
    name = unit.replace("@.", "@1.")
    (tmp_path / name).write_text(text)
    checked = subprocess.run(  # nosec B603 B607: fixed arguments
        ["systemd-analyze", "verify", "--man=no", str(tmp_path / name)],
        capture_output=True, text=True, env={**os.environ, "SYSTEMD_LOG_LEVEL": "warning"},
    )  # fmt: skip
    problems = [line for line in checked.stderr.splitlines() if str(tmp_path) in line or name in line]
    assert checked.returncode == 0 and not problems, checked.stderr


@pytest.mark.parametrize(
    ("documented", "package", "module"),
    [("REDIS_URL", "redis", "redis"), ("DATABASE_URL", "psycopg[binary]", "psycopg"), ("gunicorn", "gunicorn", "gunicorn")],
)
def test_what_a_documented_setting_needs_is_a_pinned_dependency(documented, package, module):
    assert documented in README
    dependencies = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(re.fullmatch(rf"{re.escape(package)}==[\d.]+", dependency) for dependency in dependencies)
    __import__(module)


def test_nginx_keeps_only_the_request_ids_the_application_accepts():
    from config.request_id import _WELL_FORMED

    assert f'"~^{_WELL_FORMED.pattern}$"' in NGINX


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_documented_gunicorn_command_serves_and_logs_json_lines_with_the_request_id(tmp_path):
    port = _free_port()
    environment = {
        **{name: value for name, value in os.environ.items() if name not in {"DATABASE_URL", "REDIS_URL"}},
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_VAR_DIR": str(tmp_path),
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(  # nosec B603: the README's command
        [str(BASE_DIR / ".venv/bin/gunicorn"), "--config", "gunicorn.conf.py"],
        cwd=BASE_DIR, env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz/", headers={"X-Request-ID": "gunicorn-test-1"})
                urllib.request.urlopen(request, timeout=30)  # nosec B310: our own server on 127.0.0.1
            except urllib.error.HTTPError as answer:  # an empty database: the task queue's table is missing
                assert answer.code == 503
                assert answer.headers["X-Request-ID"] == "gunicorn-test-1"
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.5)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=60)
    entries = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert len(entries) == len(output.splitlines())
    access = [entry for entry in entries if entry["logger"] == "gunicorn.access"]
    assert access and access[-1]["request_id"] == "gunicorn-test-1"
    assert any(entry["logger"] == "config.health" and entry["request_id"] == "gunicorn-test-1" for entry in entries)
