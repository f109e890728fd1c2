"""Log hygiene: no log line shows a feed's secret, however the request encoded it.

A feed URL is its own credential (``/ical/ocf_<prefix>_<secret>.ics``), and uvicorn's access log prints
the request target as the client sent it, percent-encoding and all. :class:`HideFeedSecrets` masks every
string of a log record with ``oncall.storage.feeds.mask_feed_secrets``. It sits on the loggers the server
writes through (logger filters survive uvicorn's logging set-up) and, once the server has configured its
logging, on every handler too, so that records of any other logger are masked as well.
"""

from __future__ import annotations

import logging

from oncall.storage.feeds import mask_feed_secrets

__all__ = ["HideFeedSecrets", "hide_feed_secrets"]

_LOGGERS = ("uvicorn", "uvicorn.access", "uvicorn.error", "api", "api.errors", "oncall")


class HideFeedSecrets(logging.Filter):
    """Masks feed secrets in a record's message and arguments; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_feed_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask_feed_secrets(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: mask_feed_secrets(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


_FILTER = HideFeedSecrets()


def _attach(filterer: logging.Filterer) -> None:
    if not any(isinstance(f, HideFeedSecrets) for f in filterer.filters):
        filterer.addFilter(_FILTER)


def hide_feed_secrets() -> None:
    """Put the filter on the server's loggers and on every handler configured so far (idempotent)."""
    loggers = [logging.getLogger(name) for name in _LOGGERS] + [logging.getLogger()]
    loggers += [x for x in logging.Logger.manager.loggerDict.values() if isinstance(x, logging.Logger)]
    for logger in loggers:
        if logger.name in _LOGGERS:
            _attach(logger)
        for handler in logger.handlers:
            _attach(handler)
