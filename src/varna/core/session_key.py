"""A console session seen by the REST API: an :class:`~varna.state.api_keys.ApiKey` that acts as
the signed-in user (see :meth:`varna.core.user_ops.UserOps.session_api_key`).

Its own module so that importing the service does not import the state's SQL."""

from __future__ import annotations

from dataclasses import dataclass

from varna.dsr.requests import Actor
from varna.state.api_keys import ApiKey


@dataclass(frozen=True, slots=True)
class SessionKey(ApiKey):
    """A session's key: moves are made as ``acts_as`` (the user), not as an API key, so four
    eyes holds between the console and the API."""

    acts_as: Actor | None = None
