"""The settings profiles: embedded defaults and a production profile that passes --deploy."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from terbuka.settings.base import database_config

ROOT = Path(settings.BASE_DIR)


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def clean_env(**extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {**keep, **extra}


def test_production_profile_passes_check_deploy_with_no_warnings(tmp_path: Path) -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=clean_env(
            DJANGO_SETTINGS_MODULE="terbuka.settings.production",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
            DJANGO_ALLOWED_HOSTS="ppid.example.go.id",
            TERBUKA_VAR_DIR=str(tmp_path),
        ),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_profile_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = run_manage(
        "check",
        env=clean_env(
            DJANGO_SETTINGS_MODULE="terbuka.settings.production", TERBUKA_VAR_DIR=str(tmp_path)
        ),
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_embedded_defaults_use_sqlite_in_wal_mode_and_generate_a_secret_key(
    tmp_path: Path,
) -> None:
    script = (
        "import django, json; django.setup();"
        "from django.conf import settings; from django.db import connection;"
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode');"
        "print(json.dumps([settings.DATABASES['default']['ENGINE'],"
        " str(settings.DATABASES['default']['NAME']), cursor.fetchone()[0],"
        " len(settings.SECRET_KEY)]))"
    )
    env = clean_env(
        DJANGO_SETTINGS_MODULE="terbuka.settings.default", TERBUKA_VAR_DIR=str(tmp_path)
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    engine, name, journal, key_length = json.loads(result.stdout)
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "terbuka.sqlite3")
    assert journal == "wal"
    assert key_length > 50
    key_file = tmp_path / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    again = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            "print(settings.SECRET_KEY)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert again.stdout.strip() == key_file.read_text().strip()


@pytest.mark.parametrize("url", ["postgres://u:p@127.0.0.1:5432/terbuka"])
def test_database_url_selects_postgresql(url: str) -> None:
    assert database_config(url)["ENGINE"] == "django.db.backends.postgresql"
