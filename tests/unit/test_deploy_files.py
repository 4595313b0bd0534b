"""The Dockerfile, compose.yaml and the systemd unit do what docs/deploy.md says they do: run
``python -m bot run`` as a user, check ``/healthz``, and name only settings the bot reads."""

from __future__ import annotations

import configparser
import json
import re
from pathlib import Path

from bot.runtime import Klyngebot
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = (ROOT / "compose.yaml").read_text()
GUIDE = (ROOT / "docs" / "deploy.md").read_text()
ENV_EXAMPLE = (ROOT / "docs" / "deploy" / "klyngebot.env.example").read_text()
RUN = ["python", "-m", "bot", "run"]


def _instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions (continuation lines joined), as (INSTRUCTION, arguments)."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    found = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            instruction, _, arguments = line.strip().partition(" ")
            found.append((instruction.upper(), arguments.strip()))
    return found


def _unit() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None)
    unit.optionxform = str  # type: ignore[assignment, method-assign]
    unit.read(ROOT / "docs" / "deploy" / "klyngebot.service")
    return unit


def _compose_service(name: str) -> str:
    """The lines of one service in compose.yaml (it is kept in plain block style)."""
    found = re.search(rf"^  {name}:\n((?:    .*\n|\s*\n)+)", COMPOSE, re.MULTILINE)
    assert found, f"no service {name!r} in compose.yaml"
    return found.group(1)


def test_the_image_is_python_311_slim_installed_with_pip_and_run_as_a_user() -> None:
    instructions = _instructions()
    [base] = [arguments for kind, arguments in instructions if kind == "FROM"]
    users = [arguments for kind, arguments in instructions if kind == "USER"]
    runs = " ".join(arguments for kind, arguments in instructions if kind == "RUN")

    assert base == "python:3.11-slim"
    assert users
    assert users[-1] not in {"root", "0"}
    assert "pip install ." in runs


def test_the_image_compose_and_the_unit_all_run_python_m_bot_run() -> None:
    [cmd] = [arguments for kind, arguments in _instructions() if kind == "CMD"]
    command = re.search(r"^    command: (.+)$", _compose_service("bot"), re.MULTILINE)
    exec_start = _unit()["Service"]["ExecStart"]

    assert json.loads(cmd) == RUN
    assert command
    assert json.loads(command.group(1)) == RUN
    assert exec_start.split()[1:] == RUN[1:]
    assert exec_start.split()[0].endswith("/python")
    assert "python -m bot run" in GUIDE


def test_the_health_check_asks_the_route_the_bot_serves() -> None:
    bot = Klyngebot(Settings(bot_token="xoxb-1", signing_secret="s"))
    served = {route.resource.canonical for route in bot.web_app().router.routes() if route.resource}
    [check] = [arguments for kind, arguments in _instructions() if kind == "HEALTHCHECK"]

    assert "/healthz" in served
    assert "/healthz" in check
    assert "PORT" in check  # the port the bot is told to use, not a fixed one


def test_compose_gives_the_bot_postgresql_and_waits_for_it() -> None:
    bot, db = _compose_service("bot"), _compose_service("db")

    assert re.search(r"image: postgres:\d+", db)
    assert "pg_isready" in db
    assert re.search(r"DATABASE_URL: postgresql\+asyncpg://klyngebot:\S+@db:5432/klyngebot", bot)
    assert "condition: service_healthy" in bot


def test_the_unit_runs_as_a_user_and_does_not_restart_a_refused_configuration() -> None:
    service = _unit()["Service"]

    assert service["User"] not in {"root", "0"}
    assert service["RestartPreventExitStatus"] == "2"  # what run exits with when refused
    assert int(service["TimeoutStopSec"]) > 10  # the bot stops within 10 s of SIGTERM


def test_every_setting_the_files_name_is_one_the_bot_reads() -> None:
    read = set(re.findall(r'get\("([A-Z_]+)"\)', (ROOT / "bot" / "settings.py").read_text()))
    read.add("DATABASE_URL")
    named = set(re.findall(r"^#?([A-Z][A-Z_]+)=", ENV_EXAMPLE, re.MULTILINE))
    named |= set(re.findall(r"^      ([A-Z][A-Z_]+):", _compose_service("bot"), re.MULTILINE))

    assert {"SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "SLACK_APP_TOKEN"} <= read
    assert named - {"POSTGRES_PASSWORD"} <= read


def test_the_guide_shows_each_recipe_with_its_backup_and_upgrade() -> None:
    image = re.search(r"^    image: (\S+)$", _compose_service("bot"), re.MULTILINE)
    upgrading = GUIDE.split("## 7. Upgrading", 1)[1]
    backups = GUIDE.split("## 6. Backups", 1)[1].split("## 7.", 1)[0]

    assert image
    assert image.group(1).removesuffix(":latest") == "klyngebot"
    assert "docker build -t klyngebot ." in GUIDE
    assert "docker compose up -d --build" in GUIDE
    assert "systemctl enable --now klyngebot" in GUIDE
    assert upgrading.count("python -m bot migrate") >= 4
    assert "pg_dump" in backups
    assert ".backup" in backups


def test_every_file_the_guide_links_exists() -> None:
    links = re.findall(r"\]\(((?:\.\./|deploy/|da/)[^)#]+)\)", GUIDE)

    assert links
    for link in links:
        assert (ROOT / "docs" / link).resolve().exists(), link
