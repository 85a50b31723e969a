"""Hostile pages against the fetcher's limits: compression bombs in every content coding, corrupt codings,
and headers dripped a byte at a time, through fetch_article and through the real CLI in a subprocess."""

from __future__ import annotations

import gzip
import sys
import textwrap
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import brotli
import httpx
import pytest
import zstandard
from measured import run_measured
from pages_server import BOMBS, PagesServer, article_html, bomb_body

from bot.config import Settings
from bot.errors import LinkError
from bot.links import fetch_article
from bot.links.decoding import PIECE, decoded_pieces

SETTINGS = Settings(allow_private_urls=True)
FACTDESK = Path(sys.executable).with_name("factdesk")
TOO_BIG = "That page is larger than 5 MB, too big to read; paste the text."
MEMORY_BOUND_MB = 200


@pytest.fixture(scope="module")
def server() -> Iterator[PagesServer]:
    with PagesServer() as running:
        yield running


def in_pieces(data: bytes, size: int) -> Iterator[bytes]:
    return (data[i : i + size] for i in range(0, len(data), size))


# decoding, piece by piece


@pytest.mark.parametrize("coding", list(BOMBS))
def test_a_bomb_is_handed_out_in_small_pieces(coding: str) -> None:
    body = bomb_body(coding)
    decoded = 0
    for piece in decoded_pieces(in_pieces(body, 64 * 1024), coding):
        assert len(piece) <= 2 * PIECE
        decoded += len(piece)
        if decoded > 8 * 1024 * 1024:
            break
    assert decoded > 8 * 1024 * 1024  # it does decode: the pieces are the bomb's zeros, a little at a time


def _deflate(data: bytes, wbits: int) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return compressor.compress(data) + compressor.flush()


PAGE = article_html().encode() * 300  # large enough that decoders hold output back between pieces
ENCODED = {
    "gzip": gzip.compress(PAGE),
    "gzip, two members": gzip.compress(PAGE[:50_000]) + gzip.compress(PAGE[50_000:]),
    "deflate": _deflate(PAGE, zlib.MAX_WBITS),
    "deflate, raw": _deflate(PAGE, -zlib.MAX_WBITS),
    "br": brotli.compress(PAGE),
    "zstd": zstandard.ZstdCompressor().compress(PAGE),
    "zstd, two frames": zstandard.ZstdCompressor().compress(PAGE[:50_000])
    + zstandard.ZstdCompressor().compress(PAGE[50_000:]),
    "br, gzip": gzip.compress(brotli.compress(PAGE)),
    "identity": PAGE,
}


@pytest.mark.parametrize("case", list(ENCODED))
@pytest.mark.parametrize("piece_size", [7, 65536])
def test_every_coding_decodes_a_page_exactly_however_it_is_split(case: str, piece_size: int) -> None:
    coding = case.split(", two")[0].split(", raw")[0]
    pieces = decoded_pieces(in_pieces(ENCODED[case], piece_size), coding)
    assert b"".join(pieces) == PAGE


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "zstd"])
def test_a_corrupt_coding_is_one_sentence(server: PagesServer, coding: str) -> None:
    with pytest.raises(LinkError) as caught:
        fetch_article(server.url(f"/corrupt?coding={coding}"), SETTINGS)
    assert caught.value.sentence == "127.0.0.1 sent a page I could not decompress; paste the article text."


def test_decoding_errors_are_httpx_decoding_errors() -> None:
    with pytest.raises(httpx.DecodingError):
        b"".join(decoded_pieces([b"\x1f\x8b not gzip"], "gzip"))


# bombs, end to end


BOMB_SCRIPT = textwrap.dedent(
    """
    import sys
    from bot.config import Settings
    from bot.errors import LinkError
    from bot.links import fetch_article

    for url in sys.argv[1:]:
        try:
            fetch_article(url, Settings(allow_private_urls=True))
            print("fetched")
        except LinkError as exc:
            print(exc.sentence)
    """
)


def test_bombs_in_every_coding_stop_at_the_cap_in_bounded_memory(server: PagesServer, tmp_path: Path) -> None:
    """Each bomb decodes to 256 MB (the brotli one from under 1 KB); all are refused with the size sentence
    and the process never holds more than a few MB of any of them."""
    for coding in BOMBS:
        bomb_body(coding)  # made before the child starts, so the server answers at once
    urls = [server.url(f"/bomb?coding={coding}") for coding in BOMBS]
    run = run_measured([sys.executable, "-c", BOMB_SCRIPT, *urls], {}, str(tmp_path / "rusage"))
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines() == [TOO_BIG] * len(BOMBS)
    assert run.peak_mb < MEMORY_BOUND_MB
    print(f"five bombs of 256 MB each refused, peak RSS {run.peak_mb:.0f} MB")


def test_the_cli_refuses_a_brotli_bomb_with_a_sentence_in_bounded_memory(
    server: PagesServer, tmp_path: Path
) -> None:
    bomb_body("br")
    run = run_measured(
        [str(FACTDESK), "triage", server.url("/bomb?coding=br"), "--no-store"],
        {"FACTDESK_ALLOW_PRIVATE_URLS": "1"},
        str(tmp_path / "rusage"),
    )
    assert (run.code, run.stdout, run.stderr) == (2, "", TOO_BIG + "\n")
    assert run.peak_mb < MEMORY_BOUND_MB
    print(f"brotli bomb refused by the CLI, peak RSS {run.peak_mb:.0f} MB")


# one deadline for the whole fetch


def test_headers_dripped_a_byte_at_a_time_are_cut_off_by_the_deadline(server: PagesServer) -> None:
    started = time.monotonic()
    with pytest.raises(LinkError) as caught:
        fetch_article(server.url("/drip-headers"), SETTINGS.model_copy(update={"fetch_timeout": 0.5}))
    assert caught.value.sentence == (
        "127.0.0.1 did not answer within 0.5 seconds; try again later or paste the article text."
    )
    assert time.monotonic() - started < 1.5  # the server would go on dripping for 60 s


def test_the_cli_gives_up_on_a_header_drip_within_its_fetch_timeout(
    server: PagesServer, tmp_path: Path
) -> None:
    run = run_measured(
        [str(FACTDESK), "triage", server.url("/drip-headers"), "--no-store"],
        {"FACTDESK_ALLOW_PRIVATE_URLS": "1", "FACTDESK_FETCH_TIMEOUT": "1"},
        str(tmp_path / "rusage"),
    )
    assert (run.code, run.stdout) == (2, "")
    assert (
        run.stderr == "127.0.0.1 did not answer within 1 second; try again later or paste the article text.\n"
    )
    assert run.seconds < 30  # start-up on a busy machine plus 1 s; the drip lasts 60 s
    print(f"header drip refused by the CLI in {run.seconds:.1f} s (FACTDESK_FETCH_TIMEOUT=1)")
