"""The loader keeps positions, reads YAML 1.2 scalars and stops bad input with one diagnostic."""

from __future__ import annotations

from airflowspec.document import YamlMap
from airflowspec.loader import load_bytes
from airflowspec.sourcemap import position_of


def _load(text: str) -> YamlMap:
    loaded = load_bytes(text.encode(), "f.yaml")
    assert loaded.document is not None, loaded.diagnostics
    return loaded.document


def _problem(data: bytes) -> str:
    loaded = load_bytes(data, "f.yaml")
    assert loaded.document is None
    (diagnostic,) = loaded.diagnostics
    return str(diagnostic)


def test_positions_of_keys_values_and_items() -> None:
    document = _load("a:\n  b: [x, {c: 1}]\n  d: 2\n")
    assert position_of(document, ("a", "b")) == (2, 6)
    assert position_of(document, ("a", "b"), on_key=True) == (2, 3)
    assert position_of(document, ("a", "b", 1, "c")) == (2, 14)
    assert position_of(document, ("a", "d", "missing")) == (3, 6)


def test_yaml_1_2_core_scalars() -> None:
    document = _load("a: yes\nb: on\nc: 0755\nd: 0o17\ne: 1e3\nf: true\ng: ~\nh: '5'\ni: !!str 5\nj: -.inf\n")
    assert document == {
        "a": "yes", "b": "on", "c": 755, "d": 15, "e": 1000.0, "f": True, "g": None, "h": "5", "i": "5",
        "j": float("-inf"),
    }  # fmt: skip


def test_aliases_reuse_the_anchored_value() -> None:
    document = _load("a: &x {k: v}\nb: *x\n")
    assert document["b"] == {"k": "v"}


def test_duplicate_key_points_at_the_second() -> None:
    assert (
        _problem(b"a: 1\nb: 2\na: 3\n")
        == "f.yaml:3:1: error AS005 duplicate key 'a' (first defined on line 1); each key may appear once in a mapping"
    )


def test_tab_indentation() -> None:
    assert _problem(b"a:\n\tb: 1\n") == "f.yaml:2:1: error AS004 a tab indents this line; YAML indents with spaces only"


def test_not_utf8_names_the_byte_and_its_position() -> None:
    assert (
        _problem(b"a: 1\nb: caf\xe9\n")
        == "f.yaml:2:7: error AS002 byte 0xe9 is not valid UTF-8; save the file as UTF-8"
    )


def test_alias_bomb_stops_early() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    assert "AS009" in _problem("\n".join(lines).encode())


def test_deep_nesting_stops_with_a_diagnostic() -> None:
    assert "AS008" in _problem(b"a: " + b"[" * 100_000)


def test_unknown_tag_is_refused() -> None:
    assert "AS010 tag !Ref is not supported" in _problem(b"a: !Ref b\n")


def test_byte_order_mark_is_accepted() -> None:
    assert _load("\ufeffa: 1\n") == {"a": 1}
