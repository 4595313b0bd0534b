"""bot.privacy: CPR numbers are found wherever they stand; other numbers doctors write are not."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserError
from bot.privacy import CPR_REFUSED, find_cpr_numbers, has_cpr_number, is_birth_date, refuse_cpr

SEPARATORS = ["", "-", " ", "\u2011", "\u2013"]
# Words around a number: any text without digits (or the "<" that opens Slack markup).
SURROUNDING = st.text(
    alphabet=st.characters(blacklist_categories=("Nd", "Cs"), blacklist_characters="<"),
    max_size=40,
) | st.sampled_from(["", "Pt. ", "CPR: ", "(", "patient ", "æøå "])


@st.composite
def cpr_numbers(draw: st.DrawFn) -> str:
    """A CPR number with a real birth date (1900–2099), written with or without a dash."""
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    serial = draw(st.integers(min_value=0, max_value=9999))
    separator = draw(st.sampled_from(SEPARATORS))
    return f"{born:%d%m%y}{separator}{serial:04d}"


@given(before=SURROUNDING, number=cpr_numbers(), after=SURROUNDING)
def test_a_cpr_number_is_found_in_any_position(before: str, number: str, after: str) -> None:
    text = before + number + after
    assert find_cpr_numbers(text) == [(len(before), len(before) + len(number))]


@given(number=cpr_numbers())
def test_numbers_after_2007_that_fail_modulus_11_are_still_found(number: str) -> None:
    # No modulus-11 check: the serial number is never judged.
    assert has_cpr_number(f"Ring til {number} i morgen")


def test_two_numbers_in_one_text_are_both_found() -> None:
    text = "Anne 010190-1234 og Bo 311299 5678 kom ikke."
    assert len(find_cpr_numbers(text)) == 2


@given(
    day=st.integers(min_value=0, max_value=99),
    month=st.integers(min_value=0, max_value=99),
    year=st.integers(min_value=0, max_value=99),
)
def test_only_real_dates_count(day: int, month: int, year: int) -> None:
    real = any(_is_date(century + year, month, day) for century in (1900, 2000))
    assert is_birth_date(day, month, year) == real
    assert has_cpr_number(f"{day:02d}{month:02d}{year:02d}-1234") == real


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    "text",
    [
        "310290-1234",  # 31 February
        "310490-1234",  # 31 April
        "290201-1234",  # 29 February in a year that is not a leap year
        "001290-1234",  # day 0
        "011390-1234",  # month 13
    ],
)
def test_impossible_dates_are_not_cpr_numbers(text: str) -> None:
    assert not has_cpr_number(text)


@given(st.integers(min_value=10_000_000, max_value=99_999_999))
def test_phone_numbers_are_not_cpr_numbers(number: int) -> None:
    spaced = " ".join(str(number)[i : i + 2] for i in range(0, 8, 2))
    assert not has_cpr_number(f"Ring på {number} eller +45 {number} ({spaced})")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_are_not_cpr_numbers(day: date) -> None:
    for written in (f"{day:%d-%m-%Y}", f"{day:%Y-%m-%d}", f"{day:%d.%m.%Y}", f"{day:%d/%m-%Y}"):
        assert not has_cpr_number(f"Mødet {written} kl. 16.00")


@given(st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_times_are_not_cpr_numbers(hour: int, minute: int) -> None:
    assert not has_cpr_number(f"kl. {hour:02d}.{minute:02d}-{hour:02d}:{minute:02d} og {hour}")


@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_ids_and_counts_of_up_to_nine_digits_are_not_cpr_numbers(number: int) -> None:
    assert not has_cpr_number(f"møde nr. {number % 1_000_000_000}, #{number % 1_000_000_000}")


@given(st.integers(min_value=20, max_value=130), st.decimals(min_value=4, max_value=15, places=1))
def test_lab_values_are_not_cpr_numbers(hba1c: int, percent: object) -> None:
    assert not has_cpr_number(f"HbA1c {hba1c} mmol/mol ({percent} %), BT 135/85, eGFR 60")


def test_links_and_slack_markup_are_not_read() -> None:
    assert not has_cpr_number("https://us02web.zoom.us/j/0112345678?pwd=x")
    assert not has_cpr_number("<https://zoom.us/j/0112345678|Zoom> og <@U0101901234|anne>")
    assert has_cpr_number("<@U0DOC01> skrev 0112901234")


def test_longer_digit_runs_are_not_cpr_numbers() -> None:
    assert not has_cpr_number("01019012345")
    assert not has_cpr_number("9010190-1234")


def test_the_refusal_names_no_number_and_says_what_to_do() -> None:
    with pytest.raises(UserError) as refused:
        refuse_cpr("fine", None, "Pt. 010190-1234 har diabetes")
    assert refused.value.text == CPR_REFUSED
    for language in ("en", "da"):
        rendered = refused.value.render(language)
        assert "010190" not in rendered
    assert "Skriv ikke CPR-numre eller andre patientoplysninger i Slack" in refused.value.render(
        "da"
    )
    refuse_cpr("Anonymised: a man in his 50s", None, "")  # nothing to refuse


def test_a_birthday_alone_is_not_a_cpr_number() -> None:
    born = date(1990, 1, 1) + timedelta(days=100)
    assert not has_cpr_number(f"født {born:%d%m%y}")
