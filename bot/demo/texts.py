"""The words of the demo's HTML page (the bot's own messages come in the cluster's language)."""

from __future__ import annotations

from bot.i18n import Text

PAGE_TITLE = Text(en="klyngebot demo — #{channel}", da="klyngebot-demo — #{channel}")
WORKSPACE = Text(en="Quality cluster North", da="Kvalitetsklynge Nord")
DEMO_NOTE = Text(en="klyngebot demo (offline)", da="klyngebot-demo (offline)")
CHANNELS = Text(en="Channels", da="Kanaler")
DIRECT_MESSAGES = Text(en="Direct messages from klyngebot", da="Direkte beskeder fra klyngebot")
APPS = Text(en="Apps", da="Apps")
HOME_FOR = Text(en="Home — {name}", da="Hjem — {name}")
STEPS = Text(en="The meeting, step by step", da="Mødet, trin for trin")
MEMBERS = Text(en="{count} members", da="{count} medlemmer")
INTRO = Text(
    en="One quality cluster's meeting, from set-up to follow-up, played offline: every message "
    "below is the real bot answering Slack requests from a built-in fake Slack. Grey lines tell "
    "what the members did; only the person named sees a message marked 👁.",
    da="En kvalitetsklynges møde fra opstart til opfølgning, spillet offline: hver besked "
    "nedenfor er den rigtige bot, der svarer på forespørgsler fra et indbygget falsk Slack. De "
    "grå linjer fortæller, hvad medlemmerne gjorde; en besked mærket 👁 ser kun den nævnte.",
)
DM_WITH = Text(en="klyngebot → {name}", da="klyngebot → {name}")
DM_ABOUT = Text(
    en="What klyngebot wrote to {name} privately, in the app's Messages tab.",
    da="Hvad klyngebot skrev privat til {name}, under appens fane Beskeder.",
)
HOME_TITLE = Text(en="klyngebot · Home", da="klyngebot · Hjem")
HOME_ABOUT = Text(
    en="The Home tab as {name} saw it on {when}.",
    da="Hjem-fanen, som {name} så den {when}.",
)
ONLY_VISIBLE = Text(en="Only visible to {name}", da="Kun synlig for {name}")
APP = Text(en="APP", da="APP")
TYPED = Text(en="typed", da="skrev")
REPLIES = Text(en="{count} replies", da="{count} svar")
ONE_REPLY = Text(en="1 reply", da="1 svar")
