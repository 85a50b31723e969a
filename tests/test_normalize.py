from __future__ import annotations

import pytest

from bot.errors import BadInput
from bot.text.language import detect_language
from bot.text.normalize import count_words, decode, fingerprint, normalise, validate


def test_same_article_with_different_whitespace_has_one_fingerprint():
    a = "Title\r\n\r\n\r\nFirst line.  \r\nSecond\u00a0line.\n"
    b = "Title\n\nFirst line.\nSecond line."
    assert normalise(a) == b
    assert fingerprint(normalise(a)) == fingerprint(normalise(b))


@pytest.mark.parametrize(
    ("data", "phrase"),
    [(b"", "empty"), (b"   \n\t ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_unreadable_input_gets_a_sentence(data: bytes, phrase: str):
    with pytest.raises(BadInput, match=phrase):
        decode(data)


def test_non_utf8_text_is_decoded():
    text = "Le ministre a déclaré que la réforme coûtera 3 milliards d'euros à l'État français."
    assert decode(text.encode("latin-1")) == text


def test_huge_paste_is_refused_with_its_size():
    text = "word " * 1_100_000
    with pytest.raises(BadInput, match=r"5,500,000 characters .* at most 400,000"):
        validate(text, 400_000)


def test_words_and_language():
    assert count_words("It’s a well-known fact: 3.5% of U.S. voters") == 8
    assert (
        detect_language(
            "Der Minister sagte, dass die Regierung nicht mit den Plänen einverstanden ist und die"
        )
        == "de"
    )
    assert detect_language("ok") == "und"
