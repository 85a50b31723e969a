"""What can be checked of the image without a Docker engine: its inputs exist, its command is a real entry
point, it runs as a non-root user without build tools, and its health check asks /healthz."""

from __future__ import annotations

import importlib
import json
import re
import shlex
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCKERFILE = REPO / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def exec_form(arguments: str) -> list[str]:
    assert arguments.startswith("["), f"use the exec form so signals reach factdesk: {arguments}"
    return json.loads(arguments)


def test_the_build_is_multi_stage_on_a_slim_python() -> None:
    bases = [args.split()[0] for keyword, args in instructions() if keyword == "FROM"]
    assert len(bases) >= 2 and all(re.match(r"python:3\.11[\w.-]*-slim", base) for base in bases)


def test_every_copied_source_exists() -> None:
    for keyword, args in instructions():
        if keyword not in {"COPY", "ADD"} or "--from=" in args:
            continue
        *sources, _destination = [word for word in shlex.split(args) if not word.startswith("--")]
        for source in sources:
            assert (REPO / source).exists(), f"Dockerfile copies {source}, which is not in the repository"


def test_the_final_image_has_no_build_tools_and_runs_as_a_user() -> None:
    stage = final_stage()
    runs = " ".join(args for keyword, args in stage if keyword == "RUN")
    assert not re.search(r"\b(gcc|g\+\+|build-essential|libc6-dev|make)\b", runs)
    users = [args for keyword, args in stage if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}


def test_the_command_is_a_console_script_with_a_serve_subcommand() -> None:
    [command] = [exec_form(args) for keyword, args in final_stage() if keyword == "CMD"]
    script, *arguments = command
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert script in scripts, f"{script} is not a console script in pyproject.toml"
    module, _, function = scripts[script].partition(":")
    main = getattr(importlib.import_module(module), function)
    assert arguments == ["serve"]
    with pytest.raises(SystemExit) as exit_:
        main([*arguments, "--help"])
    assert exit_.value.code == 0


def test_the_health_check_asks_healthz_on_the_served_port() -> None:
    stage = final_stage()
    [check] = [args for keyword, args in stage if keyword == "HEALTHCHECK"]
    assert "/healthz" in check
    exposed = {args.split("/")[0] for keyword, args in stage if keyword == "EXPOSE"}
    env = " ".join(args for keyword, args in stage if keyword == "ENV")
    port = re.search(r"FACTDESK_PORT=(\d+)", env)
    assert port and port.group(1) in exposed and port.group(1) in check
