"""JSON text: stored list items joined give the list's own text, byte for byte."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from serokg.graph.present.jsontext import dumps, join_items, json_text, list_item

_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(st.lists(_VALUES, max_size=5))
def test_joined_items_are_the_list_as_one_text(values):
    assert join_items([list_item(v) for v in values]) == json_text(values, 2)


@settings(max_examples=200, deadline=None)
@given(st.lists(_VALUES, max_size=5))
def test_the_text_means_the_same_as_json_dumps(values):
    assert json.loads(json_text(values, 2)) == json.loads(json.dumps(values, ensure_ascii=False, indent=2))


def test_terminal_controls_are_escaped_and_ascii_is_left_alone():
    assert json_text(["a\u202eb\x85"], None) == '["a\\u202eb\\u0085"]'
    assert json_text(["plain"], 2) == '[\n  "plain"\n]'


@settings(max_examples=400, deadline=None)
@given(_VALUES)
def test_fast_json_is_json_dumps_byte_for_byte(value):
    """-f json goes through orjson for speed; it must give json.dumps' bytes, whatever the value."""
    assert dumps(value, 2) == json.dumps(value, ensure_ascii=False, indent=2)


def test_fast_json_of_every_claim_record_is_json_dumps():
    import serokg
    from serokg.graph.records import claim_record

    ds = serokg.load()
    records = [claim_record(c, ds) for c in ds.claims.values()]
    assert dumps(records, 2) == json.dumps(records, ensure_ascii=False, indent=2)
