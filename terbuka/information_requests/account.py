"""The optional requester account ("Permohonan saya"): every request made with one e-mail
address, reached through a signed link sent to that address. No password, no user row.

A person types an e-mail address; if at least one request carries it, one e-mail with a link
valid for :data:`LINK_MAX_AGE` is queued through the outbox, in the language of the latest
such request. The link is a :class:`~django.core.signing.TimestampSigner` signature over the
id of that request (not the address), timed through the clock seam. Whether an address is
known is never shown: the page answers the same either way.

Once a link has been opened, the verified address is kept in the session for
:data:`LINK_MAX_AGE`, so the list shows without a new link until then or until the person
leaves ("Keluar").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit, clock
from terbuka.core.errors import DomainError
from terbuka.core.models import OutboxMessage
from terbuka.core.outbox import outbox_enqueue
from terbuka.information_requests import actions
from terbuka.information_requests.identity import mask_email
from terbuka.information_requests.models import InformationRequest

LINK_MAX_AGE = dt.timedelta(hours=24)
# A second submit of the same address within this window queues nothing (dedupe key).
DEDUPE_WINDOW_SECONDS = 5 * 60
# At most this many links an hour to one address, whoever asks: the rest are dropped
# silently, so that the page never tells whether the address is known.
LINKS_PER_ADDRESS_PER_HOUR = 3
OUTBOX_KIND = "information_request.mine_link"
SESSION_KEY = "information_requests.mine"
_SALT = "information_requests.mine"

LINK_INVALID = _("Tautan ini tidak valid. Mungkin tautannya terpotong saat disalin.")
LINK_EXPIRED = _("Tautan ini sudah kedaluwarsa: tautan hanya berlaku 24 jam.")


class LinkInvalid(DomainError):
    default_message = LINK_INVALID


class LinkExpired(LinkInvalid):
    default_message = LINK_EXPIRED


class _ClockSigner(signing.TimestampSigner):
    """A TimestampSigner that reads the time through :mod:`terbuka.core.clock`."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(clock.now().timestamp()))

    def unsign(self, value: str, max_age: int | dt.timedelta | None = None) -> str:
        result = signing.Signer.unsign(self, value)
        value, stamp = result.rsplit(self.sep, 1)
        if max_age is not None:
            limit = max_age.total_seconds() if isinstance(max_age, dt.timedelta) else max_age
            age = clock.now().timestamp() - signing.b62_decode(stamp)
            if age > limit:
                raise signing.SignatureExpired(f"Signature age {age} > {limit} seconds")
        return value


_signer = _ClockSigner(salt=_SALT)


def email_normalise(email: str) -> str:
    return email.strip().lower()


def mine_token_make(*, email: str) -> str:
    """A URL-safe token for the address, naming the moment it was signed. It carries the id
    of the address's latest request, not the address itself, so a link seen in a log or a
    browser history does not give the address away. :class:`LinkInvalid` when no request
    carries the address."""
    latest = _latest_with(email)
    if latest is None:
        raise LinkInvalid
    return _signer.sign_object(latest.pk)


def mine_token_read(*, token: str) -> str:
    """The address a token was made for; :class:`LinkExpired` after :data:`LINK_MAX_AGE`,
    :class:`LinkInvalid` for anything that is not a token of ours, or when the request it
    names no longer carries an address (its personal data ended)."""
    try:
        request_id = _signer.unsign_object(token, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except (signing.BadSignature, ValueError) as error:
        raise LinkInvalid from error
    if not isinstance(request_id, int):
        raise LinkInvalid
    email = InformationRequest.objects.filter(pk=request_id).values_list("email", flat=True).first()
    if not email:
        raise LinkInvalid
    return email_normalise(email)


def _with_address(email: str) -> QuerySet[InformationRequest]:
    """Requests made with the address, any letter case, through the ``ir_email`` index."""
    return InformationRequest.objects.alias(email_lower=Lower("email")).filter(
        email_lower=email_normalise(email)
    )


def _latest_with(email: str) -> InformationRequest | None:
    return (
        _with_address(email)
        .order_by("-received_on", "-received_at", "-id")
        .only("email", "language", "name")
        .first()
    )


def mine_url(*, email: str) -> str:
    return settings.SITE_URL + reverse(
        "information_requests:mine_list", args=[mine_token_make(email=email)]
    )


def mine_requests(*, email: str) -> QuerySet[InformationRequest]:
    """Every request made with the address (case-insensitive), newest first, with only the
    columns the list shows: no identity number, address or phone is even loaded."""
    return (
        _with_address(email)
        .select_related("opd")
        .only(
            "number",
            "received_at",
            "received_on",
            "information",
            "status",
            "notice_due_on",
            "extended_due_on",
            "tracking_token",
            "opd__name",
        )
        .order_by("-received_on", "-received_at", "-id")
    )


def _address_digest(email: str) -> str:
    """Stands for the address in keys that end up in the audit log."""
    return salted_hmac(_SALT, email, algorithm="sha256").hexdigest()[:32]


def mine_link_send(*, email: str) -> OutboxMessage | None:
    """Queue one e-mail with a link to the list of the address's requests.

    Queues nothing (and returns None) when no request carries the address, when the same
    address was queued within :data:`DEDUPE_WINDOW_SECONDS` (a double submit), or when it
    already had :data:`LINKS_PER_ADDRESS_PER_HOUR` links in the last hour.
    """
    address = email_normalise(email)
    matching = _with_address(address)
    latest = _latest_with(address)
    if latest is None:
        return None
    now = clock.now()
    digest = _address_digest(address)
    prefix = f"information_request:mine_link:{digest}:"
    dedupe_key = f"{prefix}{int(now.timestamp()) // DEDUPE_WINDOW_SECONDS}"
    with transaction.atomic():
        if OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        sent_lately = OutboxMessage.objects.filter(
            kind=OUTBOX_KIND,
            dedupe_key__startswith=prefix,
            created_at__gt=now - dt.timedelta(hours=1),
        ).count()
        if sent_lately >= LINKS_PER_ADDRESS_PER_HOUR:
            return None
        language = latest.language or "id"
        with translation.override(language):
            context = {
                "name": latest.name,
                "url": mine_url(email=address),
                "hours": int(LINK_MAX_AGE.total_seconds() // 3600),
            }
            subject = render_to_string(
                "information_requests/email/mine_subject.txt", context
            ).strip()
            body = render_to_string("information_requests/email/mine_body.txt", context)
        message = outbox_enqueue(
            to=latest.email,
            subject=subject,
            body_text=body,
            language=language,
            kind=OUTBOX_KIND,
            dedupe_key=dedupe_key,
        )
        audit.record(
            action=actions.MINE_LINK_SENT,
            actor_label="pemohon",
            obj=message,
            data={"surel": mask_email(address), "permohonan": matching.count()},
        )
    return message


# The verified address in the session.


def session_remember(session: SessionBase, *, email: str) -> None:
    """Keep the address a valid link was opened for; a new session key guards against a
    session id planted before the link was opened."""
    address = email_normalise(email)
    if session_email(session) != address:
        session.cycle_key()
    session[SESSION_KEY] = {"email": address, "at": int(clock.now().timestamp())}


def session_email(session: SessionBase) -> str | None:
    """The verified address, while it is younger than :data:`LINK_MAX_AGE`."""
    kept: Any = session.get(SESSION_KEY)
    if not isinstance(kept, dict) or not isinstance(kept.get("email"), str):
        return None
    age = clock.now().timestamp() - float(kept.get("at", 0))
    if age > LINK_MAX_AGE.total_seconds():
        return None
    return str(kept["email"])


def session_forget(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)
