"""Numbers typed by people: ids and euros read one way, within what the database
holds; search text without invisible characters (carte.formats, carte.forms)."""

import pytest
from django.core.exceptions import ValidationError

from carte.formats import MAX_BIGINT, AmountError, parse_euros, parse_id, search_text
from carte.forms.ids import IdChoiceField, IdField, IdMultipleChoiceField
from carte.forms.money import EurosField
from carte.models import District


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),  # past a 64-bit column
        ("9" * 30, None),
        ("²", None),  # a digit for str.isdigit, not for int()
        ("١٢", None),  # digits int() reads as 12: not an id either
        ("-3", None),
        (" 3", None),
        ("", None),
        ("a\x00b", None),
    ],
)
def test_an_id_is_plain_ascii_digits_that_fit_the_database(text, expected):
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    ("text", "cents"),
    [("1 500", 150_000), ("1 500,5", 150_050), (str(MAX_BIGINT // 100), None)],
)
def test_euros_are_read_into_cents(text, cents):
    expected = cents if cents is not None else MAX_BIGINT // 100 * 100
    assert parse_euros(text) == expected


@pytest.mark.parametrize("text", ["9" * 17, "١٢", "²", "-5", "1e9", "a\x00b"])
def test_euros_past_a_64_bit_column_or_in_other_digits_are_refused(text):
    with pytest.raises(AmountError):
        parse_euros(text)


@pytest.mark.parametrize("text", ["9" * 17, "9" * 30, "١٢"])
def test_the_euros_field_says_how_to_type_an_amount(text):
    with pytest.raises(ValidationError) as refused:
        EurosField().clean(text)
    assert refused.value.code == "amount"


@pytest.mark.parametrize("text", ["²", "١٢", "9" * 30, "-1", "a\x00b"])
def test_the_id_field_refuses_what_is_not_an_id(text):
    with pytest.raises(ValidationError):
        IdField().clean(text)


def test_the_id_field_reads_an_id():
    assert IdField(required=False).clean("42") == 42
    assert IdField(required=False).clean("") is None


def test_search_text_drops_invisible_characters_and_folds_spaces():
    assert search_text("  a\x00b \u202ec\u2066  d ", 100) == "a b c d"
    assert search_text("é" * 500, 120) == "é" * 120


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["²", "9" * 30, "a\x00b"])
def test_model_choices_refuse_what_is_not_an_id_without_a_query(
    text, district, django_assert_num_queries
):
    choice = IdChoiceField(queryset=District.objects.all())
    choices = IdMultipleChoiceField(queryset=District.objects.all())
    with django_assert_num_queries(0):
        for field, value in ((choice, text), (choices, [str(district.pk), text])):
            with pytest.raises(ValidationError):
                field.clean(value)
    assert choices.clean([str(district.pk)]).get() == district
