"""A partner filling in a template: every example value the checks refuse is replaced by a value of
one's own (fictional, on the reserved .test domain). The example values are the checks' own
(`handbook.safety.examples`), so a test that fills a template follows the templates as they change."""
from __future__ import annotations

import datetime

import yaml

from handbook import safety

OWN_DOMAIN = "kupan-ostersund.test"
OWN_PHONE = "0690-123 45"


def own_value(text: str) -> str:
    examples = safety.examples()
    for host in sorted(examples.hosts, key=len, reverse=True):
        text = text.replace(host, OWN_DOMAIN).replace(host.upper(), OWN_DOMAIN)
    for written, national in safety.phone_numbers(text):
        if national in examples.phones:
            text = text.replace(written, OWN_PHONE)
    if examples.is_text(text):
        text = text.rstrip() + " Ifyllt av oss."
    return text


def filled(data):
    """The data with every example string replaced."""
    if isinstance(data, str):
        return own_value(data)
    if isinstance(data, dict):
        return {key: filled(value) for key, value in data.items()}
    if isinstance(data, list):
        return [filled(value) for value in data]
    return data


def _dates_as_text(data):
    if isinstance(data, (datetime.date, datetime.datetime)):
        return data.isoformat()
    if isinstance(data, dict):
        return {key: _dates_as_text(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_dates_as_text(value) for value in data]
    return data


def filled_text(text: str) -> str:
    """A template's YAML text with its example values filled in (comments are not kept)."""
    data = _dates_as_text(yaml.safe_load(text))
    return yaml.safe_dump(filled(data), allow_unicode=True, sort_keys=False)
