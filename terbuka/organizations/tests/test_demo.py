import pytest
from django.core.management import call_command

from terbuka.organizations.demo import DEMO_PASSWORD, demo_load
from terbuka.organizations.models import Opd, Pemda, Position, PositionHolding, Role, Unit, User
from terbuka.workcalendar.models import NonWorkingDay

# Roles the seed SOPs name: Kepala Dinas, Sekretaris, Kabid, Kasi, Kasubag, staf, fungsional,
# PPID (Utama/Pelaksana), petugas PPID, Atasan PPID, admin OPD, walidata, produsen data.
SEED_ROLES = set(Role.values)


def _counts() -> tuple[int, ...]:
    models = (Pemda, Opd, Unit, Position, PositionHolding, User, NonWorkingDay)
    return tuple(model.objects.count() for model in models)


@pytest.mark.django_db
def test_demo_staffs_every_role_and_loading_twice_changes_nothing() -> None:
    logins = demo_load()
    first = _counts()
    assert demo_load() == logins
    assert _counts() == first
    held = set(PositionHolding.objects.values_list("position__role", flat=True))
    assert held == SEED_ROLES
    pemda = Pemda.objects.get()
    assert pemda.is_primary
    diskominfo = Opd.objects.get(code="diskominfo")
    bidang = set(diskominfo.units.filter(kind=Unit.Kind.BIDANG).values_list("code", flat=True))
    assert bidang == {"bidang-ikp", "bidang-tip", "bidang-statistik"}
    assert Opd.objects.filter(code="dpmptsp").exists()
    user = User.objects.get(username="kabid.ikp")
    assert user.check_password(DEMO_PASSWORD)
    assert PositionHolding.objects.filter(kind="plt").exists()


@pytest.mark.django_db
def test_load_demo_prints_logins_and_if_empty_skips_a_filled_database(capsys: object) -> None:
    call_command("load_demo", "--if-empty")
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    for expected in (DEMO_PASSWORD, "kabid.ikp", "operator"):
        assert expected in out
    call_command("load_demo", "--if-empty")
    assert "tidak dimuat" in capsys.readouterr().out  # type: ignore[attr-defined]
