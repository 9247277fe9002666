"""Text in two languages, one mechanism for all of landopt: a `Bi` holds the English and the Chinese of
one text side by side, where the text is defined (message templates, report words, command-line lines,
parameters of messages), and `pick` chooses one. Nothing is ever translated by looking up its English.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

STATUS_ZH = {
    "optimal": "最优", "infeasible": "不可行", "unbounded": "无界", "time_limit": "达到时间上限",
    "iteration_limit": "达到迭代上限", "interrupted": "已中断", "infeasible_or_unbounded": "不可行或无界",
    "error": "出错", "numerical_error": "数值错误", "bad_input": "输入有误",
}
"""The result statuses in Chinese (the English is the status itself)."""


class Bi(NamedTuple):
    """One text in English and Chinese. A template may hold `str.format` fields (`Bi.pick` fills them)."""

    en: str
    zh: str

    def __str__(self) -> str:
        return self.en

    def pick(self, lang: str, **params: object) -> str:
        """The text in `lang` ('zh', or anything else for English), with `params` filled in (the text is
        used as it stands when no params are given)."""
        text = self.zh if lang == "zh" else self.en
        return text.format(**params) if params else text

    @classmethod
    def status(cls, status: str) -> "Bi":
        """A result status ('optimal') in both languages."""
        return cls(status, STATUS_ZH.get(status, status))


def pick(texts: Mapping[str, Bi | tuple[str, str]], key: str, lang: str, **params: object) -> str:
    """`texts[key]` (a `Bi`) in `lang`, with `params` filled in."""
    return Bi(*texts[key]).pick(lang, **params)


def printable(text: str) -> str:
    """`text` with every character that does not print (controls, bidi overrides, zero-width marks)
    shown as its escape, so a message never lets a file's bytes restyle the terminal or reorder the line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
