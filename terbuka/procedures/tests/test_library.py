"""The SOP library: all 34 SOPs of the seed documents load, validate and match the inventory.

The inventory (id, number of steps) is docs SOPS.md's table; the lane ids are those of the
transcriptions, so that a change to a file's lanes is a deliberate change to this table.
"""

from pathlib import Path

import pytest
from django.conf import settings

from terbuka.procedures.definition import load_library, load_sop

LIBRARY = Path(settings.BASE_DIR) / "sops"

INVENTORY: list[tuple[str, int, tuple[str, ...]]] = [
    (
        "batang-dpmptsp-si",
        8,
        ("staf_sekretariat", "staf_it", "kasi_si", "kabid_si", "sekretaris", "kadis", "ppid"),
    ),
    ("jepara-diskominfo-002", 14, ("ppid", "tim_sekretariat", "tim_pendukung")),
    ("kalbar-diskominfo-81", 3, ("petugas_ppid", "sip_ppid")),
    (
        "polman-01",
        7,
        (
            "perangkat_daerah",
            "kabid_ikp",
            "kasi_pip",
            "pelaksana_peliputan",
            "penyusun_bahan",
            "pengelola_akun",
        ),
    ),
    ("polman-02", 7, ("kabid_ikp", "redaktur", "kontributor", "editor")),
    (
        "polman-03",
        7,
        (
            "kasi_pip",
            "penyusun_bahan",
            "fotografer",
            "perancang_grafis",
            "pengelola_web",
            "masyarakat",
        ),
    ),
    (
        "polman-04",
        8,
        (
            "perangkat_daerah",
            "kadis",
            "kabid_ikp",
            "admin_tip",
            "admin_ppid_kab",
            "ppid_pd",
            "masyarakat",
        ),
    ),
    (
        "polman-05",
        7,
        (
            "perangkat_daerah",
            "kadis",
            "kabid_tip",
            "kabid_ikp",
            "admin_web_kab",
            "admin_web_opd",
            "masyarakat",
        ),
    ),
    (
        "polman-06",
        6,
        ("perangkat_daerah", "bidang_ikp", "bidang_tip", "admin_web_kab", "admin_web_pd"),
    ),
    (
        "polman-07",
        7,
        (
            "perangkat_daerah",
            "kadis",
            "bidang_ikp",
            "admin_web_pemda",
            "admin_web_pd",
            "masyarakat",
        ),
    ),
    (
        "polman-08",
        10,
        (
            "masyarakat",
            "admin_lapor_pusat",
            "admin_lapor_kab",
            "admin_penghubung",
            "kepala_pd",
            "pelaksana_pd",
        ),
    ),
    (
        "polman-09",
        9,
        (
            "masyarakat",
            "jajaran_pimpinan",
            "bagian_protokol",
            "pelaksana_aspirasi",
            "kasi_aspirasi",
            "kabid_ikp",
            "kadis",
        ),
    ),
    (
        "polman-10",
        7,
        ("tim_pengarah", "admin_spbe", "kepala_pd", "kadis", "kabid_tip", "bagian_hukum"),
    ),
    ("polman-11", 5, ("kadis", "bidang_tip", "perangkat_daerah")),
    ("polman-12", 7, ("bidang_tip", "perangkat_daerah", "admin_spbe")),
    ("polman-13", 9, ("kadis", "bidang_tip", "tim_teknis", "perangkat_daerah", "penyedia")),
    ("polman-14", 9, ("kadis", "bidang_tip", "tenaga_it", "perangkat_daerah")),
    ("polman-15", 9, ("perangkat_daerah", "bidang_tip", "teknisi", "penyedia")),
    ("polman-16", 8, ("pejabat_pengawas", "bendahara", "provider", "badan_pendapatan")),
    ("polman-17", 8, ("provider", "dpmptsp", "kadis", "tim_teknis")),
    ("polman-18", 6, ("pemerintah_lokal", "bidang_tip", "tim_teknis", "kadis")),
    ("polman-19", 7, ("perangkat_daerah", "bidang_tip", "tim_teknis", "kadis", "bsre")),
    (
        "polman-20",
        8,
        ("kementerian_lembaga", "perangkat_daerah", "bidang_tip", "tim_teknis", "kadis"),
    ),
    (
        "polman-21",
        6,
        ("perangkat_daerah", "bidang_tip", "tim_teknis", "kadis", "kementerian_lembaga"),
    ),
    (
        "polman-22",
        8,
        ("kementerian_lembaga", "perangkat_daerah", "bidang_tip", "tim_teknis", "kadis"),
    ),
    (
        "polman-23",
        7,
        (
            "kabid_statistik",
            "kasi_kemitraan",
            "developer",
            "pengelola_data_center",
            "admin_aplikasi",
            "kadis",
        ),
    ),
    (
        "polman-24",
        8,
        ("kasi_kemitraan", "tim_penilai", "perangkat_daerah", "bidang_statistik", "kadis", "sekda"),
    ),
    ("polman-25", 5, ("kabid_statistik", "kasi_kemitraan", "bps", "admin_website")),
    ("polman-26", 6, ("kabid_statistik", "kasi_kemitraan", "desain_grafis", "admin_website")),
    ("polman-27", 6, ("kabid_statistik", "kasi_kemitraan", "desain_grafis", "admin_website")),
    (
        "polman-28",
        7,
        (
            "sekda",
            "kadis",
            "kabid_statistik",
            "kasi_pengolahan",
            "pelaksana_pengolahan",
            "perangkat_daerah",
            "admin_satu_data",
        ),
    ),
    (
        "polman-29",
        7,
        (
            "kadis",
            "kabid_statistik",
            "kasi_pengolahan",
            "pelaksana_pengelola",
            "perangkat_daerah",
            "bagian_hukum",
        ),
    ),
    (
        "polman-30",
        5,
        ("kadis", "kabid_statistik", "kasi_pengolahan", "pelaksana_pengolahan", "admin_satu_data"),
    ),
    ("tebingtinggi-dpmptsp-pdi", 8, ("kadis", "sekretaris", "kasubag_program", "staf")),
]


def test_library_holds_exactly_the_34_seed_sops() -> None:
    assert len(INVENTORY) == 34
    assert sorted(path.stem for path in LIBRARY.glob("*.yaml")) == sorted(
        i for i, _, _ in INVENTORY
    )
    assert len(load_library(LIBRARY)) == 34


@pytest.mark.parametrize(("sop_id", "steps", "lanes"), INVENTORY, ids=[i for i, _, _ in INVENTORY])
def test_each_sop_loads_validates_and_matches_the_inventory(
    sop_id: str, steps: int, lanes: tuple[str, ...]
) -> None:
    definition = load_sop(LIBRARY / f"{sop_id}.yaml")
    assert definition.id == sop_id
    assert len(definition.steps) == steps
    assert tuple(lane.id for lane in definition.lanes) == lanes
    assert definition.start.symbol == "start"
    assert definition.notes, "every transcription records its OCR repairs and inferences"
