"""argparse in Vietnamese: the help headings and the parser's own error messages.

argparse takes its words from ``gettext`` and Python ships no Vietnamese catalogue for it. Instead of
rebinding argparse's module-level ``_`` (which would change every parser in the process), the
headings are set on our parsers and the error messages are rewritten from their English templates.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable

USAGE = "cách dùng: "
POSITIONALS = "đối số vị trí"
OPTIONALS = "tùy chọn"
HELP = "hiện trợ giúp này rồi thoát"
VERSION = "hiện số phiên bản rồi thoát"


class HelpFormatter(argparse.HelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        # argparse passes prefix="" when it builds a subcommand's prog: only the heading is ours.
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


# argparse's messages (Python 3.11), most specific first; groups keep the names and values it filled in.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), text)
    for pattern, text in (
        (r"^argument (.+?): (.*)$", r"đối số \1: \2"),
        (r"^the following arguments are required: (.*)$", r"thiếu đối số bắt buộc: \1"),
        (r"^unrecognized arguments: (.*)$", r"không hiểu đối số: \1"),
        (r"^invalid choice: (.*) \(choose from (.*)\)$", r"lựa chọn không hợp lệ: \1 (chọn một trong: \2)"),
        (r"^invalid (\S+) value: (.*)$", r"giá trị \1 không hợp lệ: \2"),
        (r"^expected one argument$", "cần một giá trị"),
        (r"^expected at most one argument$", "chỉ được một giá trị"),
        (r"^expected at least one argument$", "cần ít nhất một giá trị"),
        (r"^not allowed with argument (.*)$", r"không dùng cùng đối số \1"),
        (r"^one of the arguments (.*) is required$", r"cần một trong các đối số \1"),
        (r"^ambiguous option: (.*) could match (.*)$", r"tùy chọn \1 không rõ: có thể là \2"),
        (r"^ignored explicit argument (.*)$", r"bỏ qua giá trị \1"),
        (r"^unexpected option string: (.*)$", r"tùy chọn không mong đợi: \1"),
    )
)


def translate_error(message: str) -> str:
    """argparse's English message in Vietnamese; our own (already Vietnamese) messages pass unchanged."""
    for pattern, text in _ERRORS:
        if pattern.match(message):
            inner = pattern.sub(text, message)
            if pattern is _ERRORS[0][0]:  # "argument X: <message>": the inner message may be argparse's too
                head, _sep, rest = inner.partition(": ")
                return f"{head}: {translate_error(rest)}"
            return inner
    return message


def localise(parser: argparse.ArgumentParser, *, add_help: bool) -> None:
    """Vietnamese group headings and -h/--help on a parser built with ``add_help=False``."""
    parser._positionals.title = POSITIONALS
    parser._optionals.title = OPTIONALS
    if add_help:
        parser.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)
