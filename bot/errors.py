"""The one exception for "the user asked for something we can't do": shown to them, not logged."""

from __future__ import annotations

from bot.i18n import Text


class UserError(ValueError):
    """Bad input or a refused request; ``render`` gives the friendly message in a language.

    Raise it anywhere below a handler: the command router and the interaction helpers catch it
    and answer the person privately. Nothing is stored when it is raised inside a transaction.
    """

    def __init__(self, text: Text, /, **values: object) -> None:
        # ``text`` positional-only: a value may be called ``text`` too (what the person typed).
        super().__init__(text.render("en", **values))
        self.text = text
        self.values = values

    def render(self, language: str) -> str:
        return self.text.render(language, **self.values)
