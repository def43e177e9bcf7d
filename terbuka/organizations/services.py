"""Writes to the organisation structure. Every write is audited.

Permission is checked by the caller against :class:`terbuka.organizations.access.Scope`;
these functions check the state of the data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from terbuka.core import audit
from terbuka.core.errors import DomainError
from terbuka.core.services import model_create, model_update
from terbuka.organizations import actions
from terbuka.organizations.models import (
    Delegation,
    HoldingKind,
    Opd,
    Pemda,
    Position,
    PositionHolding,
    Unit,
    User,
)


class HoldingError(DomainError):
    pass


HOLDING_ENDS_BEFORE_START = _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")
HOLDING_ALREADY_ENDED = _("Penugasan ini sudah berakhir.")
DELEGATION_OUTSIDE_HOLDING = _("Pelimpahan harus berada dalam masa jabatan pemberi.")
DELEGATION_TO_SELF = _("Wewenang tidak dapat dilimpahkan kepada diri sendiri.")
UNIT_PARENT_OTHER_OPD = _("Unit induk harus berada di perangkat daerah yang sama.")
POSITION_UNIT_OTHER_OPD = _("Unit kerja jabatan harus berada di perangkat daerah yang sama.")


def pemda_update(*, pemda: Pemda, actor: User, data: dict[str, Any]) -> list[str]:
    return model_update(instance=pemda, data=data, actor=actor, action=actions.PEMDA_UPDATED)


def opd_create(*, pemda: Pemda, actor: User, data: dict[str, Any]) -> Opd:
    return model_create(
        model=Opd, data={**data, "pemda": pemda}, actor=actor, action=actions.OPD_CREATED
    )


def opd_update(*, opd: Opd, actor: User, data: dict[str, Any]) -> list[str]:
    return model_update(
        instance=opd, data=data, actor=actor, action=actions.OPD_UPDATED, opd_id=opd.pk
    )


def _check_parent(opd: Opd, parent: Unit | None, unit: Unit | None = None) -> None:
    if parent is None:
        return
    if parent.opd_id != opd.pk:
        raise DomainError(UNIT_PARENT_OTHER_OPD)
    node: Unit | None = parent
    while node is not None and unit is not None:
        if node.pk == unit.pk:
            raise DomainError(_("Unit tidak dapat menjadi induk dari dirinya sendiri."))
        node = node.parent


def unit_create(*, opd: Opd, actor: User, data: dict[str, Any]) -> Unit:
    _check_parent(opd, data.get("parent"))
    return model_create(
        model=Unit,
        data={**data, "opd": opd},
        actor=actor,
        action=actions.UNIT_CREATED,
        opd_id=opd.pk,
    )


def unit_update(*, unit: Unit, actor: User, data: dict[str, Any]) -> list[str]:
    _check_parent(unit.opd, data.get("parent"), unit)
    return model_update(
        instance=unit,
        data=data,
        actor=actor,
        action=actions.UNIT_UPDATED,
        opd_id=unit.opd_id,
    )


def _check_position_unit(opd: Opd, unit: Unit | None) -> None:
    if unit is not None and unit.opd_id != opd.pk:
        raise DomainError(POSITION_UNIT_OTHER_OPD)


def position_create(*, opd: Opd, actor: User, data: dict[str, Any]) -> Position:
    _check_position_unit(opd, data.get("unit"))
    return model_create(
        model=Position,
        data={**data, "opd": opd},
        actor=actor,
        action=actions.POSITION_CREATED,
        opd_id=opd.pk,
    )


def position_update(*, position: Position, actor: User, data: dict[str, Any]) -> list[str]:
    _check_position_unit(position.opd, data.get("unit"))
    return model_update(
        instance=position,
        data=data,
        actor=actor,
        action=actions.POSITION_UPDATED,
        opd_id=position.opd_id,
    )


def staff_user_ensure(
    *, username: str, full_name: str, nip: str = "", email: str = "", password: str = ""
) -> tuple[User, bool]:
    """The account named ``username``, created (with ``password`` or none usable) if new."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User(username=username, full_name=full_name, nip=nip, email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user, True


def holding_assign(
    *,
    position: Position,
    actor: User,
    username: str,
    full_name: str = "",
    nip: str = "",
    email: str = "",
    password: str = "",
    kind: str = HoldingKind.DEFINITIF,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    decree: str = "",
) -> PositionHolding:
    """Put a person (an existing account, or a new one) into ``position``."""
    with transaction.atomic():
        user, created = staff_user_ensure(
            username=username, full_name=full_name, nip=nip, email=email, password=password
        )
        if created:
            audit.record(action=actions.USER_CREATED, actor=actor, obj=user, opd_id=position.opd_id)
        return holding_create(
            position=position,
            user=user,
            actor=actor,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            decree=decree,
        )


def holding_create(
    *,
    position: Position,
    user: User,
    actor: User,
    kind: str = HoldingKind.DEFINITIF,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    decree: str = "",
) -> PositionHolding:
    if ends_on is not None and ends_on < starts_on:
        raise HoldingError(HOLDING_ENDS_BEFORE_START)
    return model_create(
        model=PositionHolding,
        data={
            "position": position,
            "user": user,
            "kind": kind,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "decree": decree,
        },
        actor=actor,
        action=actions.HOLDING_STARTED,
        opd_id=position.opd_id,
    )


def holding_end(*, holding: PositionHolding, actor: User, ends_on: dt.date) -> PositionHolding:
    if holding.ends_on is not None and holding.ends_on < ends_on:
        raise HoldingError(HOLDING_ALREADY_ENDED)
    if ends_on < holding.starts_on:
        raise HoldingError(HOLDING_ENDS_BEFORE_START)
    model_update(
        instance=holding,
        data={"ends_on": ends_on},
        actor=actor,
        action=actions.HOLDING_ENDED,
        opd_id=holding.position.opd_id,
    )
    return holding


def delegation_create(
    *,
    holding: PositionHolding,
    delegate: User,
    actor: User,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str,
) -> Delegation:
    if delegate.pk == holding.user_id:
        raise HoldingError(DELEGATION_TO_SELF)
    if ends_on < starts_on:
        raise HoldingError(HOLDING_ENDS_BEFORE_START)
    if starts_on < holding.starts_on or (holding.ends_on and ends_on > holding.ends_on):
        raise HoldingError(DELEGATION_OUTSIDE_HOLDING)
    return model_create(
        model=Delegation,
        data={
            "holding": holding,
            "delegate": delegate,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "reason": reason,
        },
        actor=actor,
        action=actions.DELEGATION_CREATED,
        opd_id=holding.position.opd_id,
    )
