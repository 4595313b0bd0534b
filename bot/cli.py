"""``python -m bot run | demo | migrate``."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import DEFAULT_DATABASE_URL, Settings, SettingsError

log = logging.getLogger("klyngebot")

NO_TOKENS_SO_DEMO = (
    "SLACK_BOT_TOKEN is not set, so here is the offline demo instead "
    "(python -m bot run serves a real Slack workspace; see README.md)."
)
# Exit status when the configuration cannot work (missing settings, refused tokens, no database).
BAD_CONFIGURATION = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("run", help="serve Slack (HTTP, or Socket Mode with SLACK_APP_TOKEN)")
    demo = commands.add_parser("demo", help="play a whole meeting offline against a fake Slack")
    demo.add_argument("--language", choices=("en", "da"), default="en")
    demo.add_argument(
        "--html",
        metavar="FILE",
        type=Path,
        help="write the demo as one web page that looks like Slack instead of printing it",
    )
    commands.add_parser("migrate", help="bring the database schema up to date")
    args = parser.parse_args(argv)
    if args.command is None:  # the README's first command: the real bot if configured, else demo
        if not os.environ.get("SLACK_BOT_TOKEN") and not os.environ.get("SLACK_CLIENT_ID"):
            print(NO_TOKENS_SO_DEMO, file=sys.stderr)
            args = parser.parse_args(["demo"])
        else:
            args = parser.parse_args(["run"])
    logging.basicConfig(
        # The demo's transcript is the output; only problems should interrupt it. ``run`` logs
        # its progress once the configuration checked out: a refusal is one paragraph alone.
        level=logging.INFO if args.command == "migrate" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "demo":
        from bot.demo import run_demo

        return int(asyncio.run(run_demo(language=args.language, html=args.html)))
    if args.command == "migrate":
        return asyncio.run(_migrate())
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return BAD_CONFIGURATION
    return asyncio.run(_serve(settings))


async def _migrate() -> int:
    from bot.preflight import StartupError, check_database
    from storage.db import Database

    db = Database(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    try:
        await check_database(db)
    except StartupError as error:
        print(error, file=sys.stderr)
        await db.dispose()
        return BAD_CONFIGURATION
    from storage.migrate import current_revision, upgrade

    try:
        await upgrade(db)
        print(f"database schema is at revision {await current_revision(db)}")
    finally:
        await db.dispose()
    return 0


async def _serve(settings: Settings) -> int:
    from bot.preflight import StartupError, check_configuration

    try:
        await check_configuration(settings)
    except StartupError as error:
        print(error, file=sys.stderr)
        return BAD_CONFIGURATION
    logging.getLogger().setLevel(logging.INFO)
    from bot.runtime import Klyngebot

    bot = Klyngebot(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await bot.start(host="0.0.0.0", port=settings.port)
    await stop.wait()
    log.info("stopping: finishing requests in flight")
    await bot.stop()
    log.info("stopped")
    return 0
