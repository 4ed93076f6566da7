"""Which messaging channels are on, from the environment (the public contract).

A channel is on only when its required variables are set.  The credentials
file written for Rasa refers to the variables as ``${NAME}`` (Rasa expands
them when it reads the file), so no secret is ever written to disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class ChannelSpec:
    name: str  # the webhook path: /webhooks/<name>/webhook
    cls: str  # module path Rasa loads from credentials.yml
    required: dict[str, str]  # credential key -> environment variable
    optional: dict[str, str]
    why_required: str  # said when the channel stays off for a missing variable


CHANNELS = (
    ChannelSpec(
        "telegram",
        "bot.channels.telegram.TelegramChannel",
        {"access_token": "TELEGRAM_BOT_TOKEN", "secret_token": "TELEGRAM_SECRET_TOKEN"},
        {"verify": "TELEGRAM_BOT_NAME", "webhook_url": "TELEGRAM_WEBHOOK_URL"},
        "the secret token is how the bot knows a call comes from Telegram",
    ),
    ChannelSpec(
        "slack",
        "bot.channels.slack.SlackChannel",
        {
            "slack_token": "SLACK_BOT_TOKEN",
            "slack_signing_secret": "SLACK_SIGNING_SECRET",
        },
        {},
        "the signing secret is how the bot knows a call comes from Slack",
    ),
    ChannelSpec(
        "twilio",
        "bot.channels.twilio.TwilioChannel",
        {
            "account_sid": "TWILIO_ACCOUNT_SID",
            "auth_token": "TWILIO_AUTH_TOKEN",
            "twilio_number": "TWILIO_NUMBER",
        },
        {"webhook_url": "TWILIO_WEBHOOK_URL"},
        "all three are needed to check Twilio's signature and to reply",
    ),
    ChannelSpec(
        "facebook",
        "bot.channels.messenger.MessengerChannel",
        {
            "verify": "FACEBOOK_VERIFY_TOKEN",
            "secret": "FACEBOOK_APP_SECRET",
            "page-access-token": "FACEBOOK_PAGE_ACCESS_TOKEN",
        },
        {},
        "all three are needed to verify Meta's calls and to reply",
    ),
)


def channel_credentials(env: dict[str, str]) -> tuple[dict, list[str], list[str]]:
    """(credentials entries, names of channels on, one line per problem)."""
    entries: dict[str, dict] = {}
    on: list[str] = []
    problems: list[str] = []
    for spec in CHANNELS:
        have = [v for v in spec.required.values() if (env.get(v) or "").strip()]
        if not have:
            continue  # not configured at all: silently off
        missing = [v for v in spec.required.values() if v not in have]
        if missing:
            problems.append(
                f"{spec.name} is off: {', '.join(missing)} not set ({spec.why_required})."
            )
            continue
        entry = {key: f"${{{var}}}" for key, var in spec.required.items()}
        entry.update(
            {
                key: f"${{{var}}}"
                for key, var in spec.optional.items()
                if (env.get(var) or "").strip()
            }
        )
        entries[spec.cls] = entry
        on.append(spec.name)
    return entries, on, problems


def write_credentials(
    base: Path, out: Path, env: dict[str, str]
) -> tuple[Path, list[str], list[str]]:
    """The project's credentials.yml plus the channels the environment turns on."""
    config = yaml.safe_load(base.read_text(encoding="utf-8")) or {}
    entries, on, problems = channel_credentials(env)
    config.update(entries)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return out, on, problems
