from __future__ import annotations

import datetime as dt

import factory

from terbuka.organizations.models import (
    HoldingKind,
    Opd,
    Pemda,
    Position,
    PositionHolding,
    Role,
    TimeZone,
    Unit,
    User,
)


class PemdaFactory(factory.django.DjangoModelFactory[Pemda]):
    class Meta:
        model = Pemda
        django_get_or_create = ("region_code",)

    name = "Pemerintah Kabupaten Uji"
    kind = Pemda.Kind.KABUPATEN
    region_code = factory.Sequence(lambda n: f"{10 + n // 90:02d}.{10 + n % 90:02d}")
    time_zone = TimeZone.WIB
    is_primary = False


class OpdFactory(factory.django.DjangoModelFactory[Opd]):
    class Meta:
        model = Opd

    pemda = factory.SubFactory(PemdaFactory)
    code = factory.Sequence(lambda n: f"opd-{n}")
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    short_name = factory.Sequence(lambda n: f"Dinas{n}")


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    opd = factory.SubFactory(OpdFactory)
    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Bidang Uji {n}")
    kind = Unit.Kind.BIDANG


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"pegawai{n}")
    full_name = factory.Sequence(lambda n: f"Pegawai Uji {n}")
    password = factory.django.Password("rahasia-uji-123")


class PositionFactory(factory.django.DjangoModelFactory[Position]):
    class Meta:
        model = Position

    opd = factory.SubFactory(OpdFactory)
    code = factory.Sequence(lambda n: f"jabatan-{n}")
    title = factory.Sequence(lambda n: f"Jabatan Uji {n}")
    role = Role.STAF


class HoldingFactory(factory.django.DjangoModelFactory[PositionHolding]):
    class Meta:
        model = PositionHolding

    position = factory.SubFactory(PositionFactory)
    user = factory.SubFactory(UserFactory)
    kind = HoldingKind.DEFINITIF
    starts_on = dt.date(2020, 1, 1)
    ends_on = None


def staff_member(opd: Opd, role: str = Role.STAF, **holding: object) -> User:
    """A user holding one position of ``role`` in ``opd`` since 2020."""
    position = PositionFactory.create(opd=opd, role=role)
    return HoldingFactory.create(position=position, **holding).user
