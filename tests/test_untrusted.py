"""Tests that text from outside cannot drive the terminal or the markup: clipboard writes, screen
clears, hyperlinks, styles and bidi tricks come out as harmless text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.untrusted import clean, shorten


def test_osc52_clipboard_write_is_removed():
    """An OSC 52 clipboard write (BEL-terminated) disappears with its payload."""
    assert clean("before\x1b]52;c;ZXZpbA==\x07after") == "beforeafter"


def test_osc_terminated_by_st_and_hyperlinks_are_removed():
    """OSC 8 hyperlinks and ST-terminated OSCs go, the visible text stays."""
    text = "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\ now"
    assert clean(text) == "click me now"


def test_unterminated_osc_swallows_nothing_visible():
    """An OSC with no terminator is dropped to the end, as the terminal would swallow it."""
    assert clean("ok\x1b]0;title without end") == "ok"


def test_screen_clear_and_colours_are_removed():
    """CSI sequences (clear screen, cursor moves, SGR colours) are stripped."""
    assert clean("\x1b[2Jhello \x1b[31mred\x1b[0m\x1b[10;20H!") == "hello red!"


def test_dcs_apc_pm_and_c1_forms_are_removed():
    """DCS, APC and PM strings, and the 8-bit C1 forms of CSI and OSC, are stripped whole."""
    assert clean("a\x1bPq#0;2;0;0;0\x1b\\b\x1b_apc\x1b\\c\x1b^pm\x1b\\d\x9b2J\x9d0;t\x9ce") == "abcde"


def test_controls_removed_but_newline_and_tab_kept():
    """C0/C1 controls and a lone ESC go; \\n and \\t stay; CRLF becomes \\n."""
    assert clean("a\x00b\x07c\x08d\re\x7ff\x85g\r\nh\ti\x1b") == "abcdefg\nh\ti"
    assert clean("two-char escapes: \x1bc\x1b7\x1b(Bdone") == "two-char escapes: done"


def test_bidi_overrides_are_removed():
    """Right-to-left overrides and isolates cannot reorder what the reader sees."""
    assert clean("admin\u202etxt.exe\u202c \u2066x\u2069 \u202a\u202b\u202d") == "admintxt.exe x "


def test_bold_markup_displays_literally():
    """`[bold]x[/bold]` shows as itself in the TUI (display.plain builds Content without parsing
    markup), not as bold x."""
    from wizard.tui.display import plain

    shown = plain("[bold]x[/bold]")
    assert shown.plain == "[bold]x[/bold]"
    assert not shown.spans


def test_link_markup_displays_literally():
    """A `[link=file:///etc/passwd]` tag in a styled line cannot become a clickable link: the only
    style on screen is the one edgewiz chose."""
    from wizard.tui.display import line

    shown = line(("[link=file:///etc/passwd]x[/link]", "bold"), " [@click=app.quit]q[/]")
    assert shown.plain == "[link=file:///etc/passwd]x[/link] [@click=app.quit]q[/]"
    assert [str(span.style) for span in shown.spans] == ["bold"]


def test_shorten_adds_an_ellipsis_only_when_cut():
    """shorten keeps short text whole and cuts long text to n characters ending in …."""
    assert shorten("short", 10) == "short"
    assert shorten("a" * 20, 8) == "aaaaaaa…"
    assert len(shorten("b" * 100, 30)) == 30
    assert shorten("anything", 0) == ""


def test_clean_accepts_bytes_and_none():
    """Bytes are decoded (bad UTF-8 replaced) and None is empty."""
    assert clean(b"ok\x1b[2J\xff") == "ok\ufffd"
    assert clean(None) == ""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.characters(max_codepoint=0x2070) | st.sampled_from(
    ["\x1b", "\x1b[", "\x1b]", "\x07", "\x9b", "\x9d", "\x1b\\", "\u202e", "\u2066", "52;c;"])).map("".join))
def test_clean_never_raises_and_leaves_no_escape(text):
    """Whatever comes in, clean() returns text with no ESC, no CSI/OSC C1, no bidi override."""
    out = clean(text)
    assert "\x1b" not in out and "\x9b" not in out and "\x9d" not in out
    assert not any("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" for ch in out)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab[]/\\=$@ #:") + ["bold", "link", "red"])).map("".join))
def test_textual_shows_untrusted_text_exactly(text):
    """For any text, the TUI's display.plain renders exactly that text, with no style."""
    from wizard.tui.display import plain

    shown = plain(text)
    assert shown.plain == text
    assert not shown.spans
