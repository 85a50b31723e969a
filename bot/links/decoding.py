"""Undo a page's Content-Encoding as it streams, never more than one small piece ahead of the reader.

httpx decodes each network read whole, so 809 bytes of brotli can become gigabytes before any size check
runs. Here every layer (gzip, deflate, brotli, zstd, stacked in any order) hands out at most ``PIECE`` bytes
at a time, so the caller's size cap holds on the decoded bytes and a bomb costs one piece of memory.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterable, Iterator

import brotli
import httpx
import zstandard

PIECE = 64 * 1024
# RFC 9659: HTTP's zstd uses windows of at most 8 MB, so a frame may not make the decoder reserve more.
ZSTD_MAX_WINDOW = 8 * 1024 * 1024


def decoded_pieces(raw: Iterable[bytes], content_encoding: str) -> Iterator[bytes]:
    """The body ``raw`` with every coding named in ``content_encoding`` undone, in pieces of ~``PIECE``.

    Unknown codings (and ``identity``) pass the bytes through, as httpx does; a corrupt stream raises
    :class:`httpx.DecodingError`.
    """
    pieces: Iterator[bytes] = iter(raw)
    codings = [name.strip().lower() for name in content_encoding.split(",") if name.strip()]
    for name in reversed(codings):  # applied first to last, so undone last to first
        layer = _LAYERS.get(name)
        if layer is not None:
            pieces = layer(pieces)
    return pieces


def _zlib_layer(wbits: int | None) -> Callable[[Iterator[bytes]], Iterator[bytes]]:
    """gzip (``wbits`` 31) or deflate (``None``: a zlib wrapper or, as some servers send, raw deflate)."""

    def layer(pieces: Iterator[bytes]) -> Iterator[bytes]:
        decompressor = None
        for data in pieces:
            if decompressor is None and data:
                decompressor = zlib.decompressobj(wbits if wbits is not None else _deflate_wbits(data))
            while data and decompressor is not None:
                try:
                    out = decompressor.decompress(data, PIECE)
                except zlib.error as exc:
                    raise httpx.DecodingError(str(exc)) from exc
                if out:
                    yield out
                if decompressor.eof and decompressor.unused_data:  # a second gzip member follows
                    data = decompressor.unused_data
                    decompressor = zlib.decompressobj(wbits or zlib.MAX_WBITS)
                else:
                    data = decompressor.unconsumed_tail
            while decompressor is not None and (out := decompressor.decompress(b"", PIECE)):
                yield out  # output zlib held back when the last piece filled up exactly

    return layer


def _deflate_wbits(first: bytes) -> int:
    """RFC 9110 deflate is zlib-wrapped; raw deflate is common enough to accept, told apart by the header."""
    if len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0:
        return zlib.MAX_WBITS
    return -zlib.MAX_WBITS


def _brotli_layer(pieces: Iterator[bytes]) -> Iterator[bytes]:
    decompressor = brotli.Decompressor()
    try:
        for data in pieces:
            # Output held back by the limit comes out of further calls with no input, until one gives none.
            out = decompressor.process(data, output_buffer_limit=PIECE)
            while out:
                yield out
                out = decompressor.process(b"", output_buffer_limit=PIECE)
    except brotli.error as exc:
        raise httpx.DecodingError(str(exc)) from exc


def _zstd_layer(pieces: Iterator[bytes]) -> Iterator[bytes]:
    decompressor = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
    reader = decompressor.stream_reader(_PieceReader(pieces), read_across_frames=True)
    try:
        while out := reader.read(PIECE):
            yield out
    except zstandard.ZstdError as exc:
        raise httpx.DecodingError(str(exc)) from exc


class _PieceReader(io.RawIOBase):
    """An iterator of byte strings as the file object zstandard reads from."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self._pieces = pieces
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._pending = piece
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


_LAYERS: dict[str, Callable[[Iterator[bytes]], Iterator[bytes]]] = {
    "gzip": _zlib_layer(zlib.MAX_WBITS | 16),
    "x-gzip": _zlib_layer(zlib.MAX_WBITS | 16),
    "deflate": _zlib_layer(None),
    "br": _brotli_layer,
    "zstd": _zstd_layer,
}
