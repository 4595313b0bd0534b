"""Slack's messages and views as HTML (mrkdwn, Block Kit): what the demo page is drawn with."""
