import datetime as dt

import pytest

from terbuka.organizations.access import build_scope
from terbuka.organizations.models import Delegation, HoldingKind, Opd, Position, Role
from terbuka.organizations.tests.factories import (
    HoldingFactory,
    OpdFactory,
    PositionFactory,
    UserFactory,
    staff_member,
)

TODAY = dt.date(2026, 3, 17)


@pytest.mark.django_db
def test_roles_follow_positions_held_today(opd: Opd) -> None:
    user = staff_member(opd, Role.KEPALA_SEKSI)
    HoldingFactory.create(
        user=user,
        position=PositionFactory.create(opd=opd, role=Role.ADMIN_OPD),
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2025, 12, 31),
    )
    scope = build_scope(user, TODAY)
    assert scope.roles == {Role.KEPALA_SEKSI}
    assert scope.can_view(opd.pk)
    assert not scope.can_manage_structure(opd.pk)


@pytest.mark.django_db
def test_acting_official_plt_holds_the_role_until_the_end_date(opd: Opd) -> None:
    user = staff_member(
        opd,
        Role.KEPALA,
        kind=HoldingKind.PLT,
        starts_on=dt.date(2026, 1, 5),
        ends_on=dt.date(2026, 3, 31),
    )
    seat = build_scope(user, TODAY).seats[0]
    assert (seat.role, seat.kind, seat.ends_on) == (Role.KEPALA, "plt", dt.date(2026, 3, 31))
    assert build_scope(user, dt.date(2026, 4, 1)).seats == ()


@pytest.mark.django_db
def test_delegate_acts_in_the_holders_position_only_during_the_leave(opd: Opd) -> None:
    head = HoldingFactory.create(position=PositionFactory.create(opd=opd, role=Role.KEPALA_BIDANG))
    deputy = UserFactory.create()
    Delegation.objects.create(
        holding=head,
        delegate=deputy,
        starts_on=dt.date(2026, 3, 16),
        ends_on=dt.date(2026, 3, 20),
        reason="Cuti tahunan",
    )
    during = build_scope(deputy, TODAY)
    assert during.has_role(Role.KEPALA_BIDANG, opd_id=opd.pk)
    assert during.seats[0].kind == "delegasi"
    assert during.seats[0].acting_for == str(head.user)
    assert build_scope(deputy, dt.date(2026, 3, 23)).seats == ()


@pytest.mark.django_db
def test_ppid_utama_sees_every_opd_of_the_pemda_but_not_another_pemda(
    opd: Opd, other_opd: Opd
) -> None:
    far = OpdFactory.create(pemda__region_code="61.01")
    scope = build_scope(staff_member(opd, Role.PPID_UTAMA), TODAY)
    assert scope.can_view(other_opd.pk)
    assert not scope.can_manage_structure(other_opd.pk)
    visible = set(scope.filter(Position.objects.all()).values_list("opd", flat=True))
    PositionFactory.create(opd=far)
    assert far.pk not in set(scope.filter(Position.objects.all()).values_list("opd", flat=True))
    assert visible <= {opd.pk, other_opd.pk}


@pytest.mark.django_db
def test_staff_scope_filters_rows_to_their_own_opd(opd: Opd, other_opd: Opd) -> None:
    PositionFactory.create(opd=opd)
    PositionFactory.create(opd=other_opd)
    scope = build_scope(staff_member(opd), TODAY)
    assert not scope.can_view(other_opd.pk)
    positions = scope.filter(Position.objects.all())
    assert set(positions.values_list("opd_id", flat=True)) == {opd.pk}


@pytest.mark.django_db
def test_inactive_or_anonymous_users_have_no_scope(opd: Opd) -> None:
    user = staff_member(opd, Role.OPERATOR)
    user.is_active = False
    assert build_scope(user, TODAY).seats == ()
