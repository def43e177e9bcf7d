import datetime as dt

import pytest
from django.core.files.base import ContentFile

from terbuka.core import audit, clock
from terbuka.core.models import AuditEvent
from terbuka.core.storage import private_storage
from terbuka.organizations.models import Opd
from terbuka.organizations.tests.factories import UserFactory

MOMENT = dt.datetime(2026, 3, 17, 2, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_record_writes_who_when_what_and_data(opd: Opd) -> None:
    actor = UserFactory.create()
    with clock.frozen(MOMENT):
        event = audit.record(
            action="organization.opd_updated",
            actor=actor,
            obj=opd,
            opd_id=opd.pk,
            data={"tanggal": dt.date(2026, 3, 17)},
        )
    event.refresh_from_db()
    assert event.occurred_at == MOMENT
    assert event.actor == actor
    assert event.object_repr == str(opd)
    assert event.data == {"tanggal": "2026-03-17"}
    assert list(audit.timeline(opd)) == [event]


@pytest.mark.django_db
def test_events_without_a_staff_actor_name_the_system() -> None:
    event = audit.record(action="workcalendar.year_seeded")
    assert event.actor is None
    assert event.actor_label == "sistem"


@pytest.mark.django_db
def test_audit_log_is_append_only(opd: Opd) -> None:
    event = audit.record(action="organization.opd_updated", obj=opd)
    event.action = "diubah"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="diubah")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "organization.opd_updated"


def test_known_actions_have_labels_and_unknown_ones_show_their_name() -> None:
    event = AuditEvent(action="organization.opd_created")
    assert str(event.action_label) == "Perangkat daerah dibuat"
    assert AuditEvent(action="tidak.dikenal").action_label == "tidak.dikenal"


def test_clock_frozen_needs_an_aware_moment() -> None:
    with pytest.raises(ValueError, match="aware"), clock.frozen(dt.datetime(2026, 1, 1)):
        pass


def test_private_files_live_under_the_private_root_and_have_no_url(settings: object) -> None:
    storage = private_storage()
    name = storage.save("uji/ktp.pdf", ContentFile(b"%PDF-1.4"))
    assert storage.path(name).startswith(str(settings.PRIVATE_MEDIA_ROOT))  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="not accessible via a URL"):
        storage.url(name)
