"""Indonesia's national holidays and cuti bersama 2025–2027, as literals for table tests.

Source: SKB 3 Menteri as listed by ``holidays.country_holidays("ID")`` of the ``holidays``
package 0.108 (category "public" for holidays, "government" for cuti bersama). The 2027 dates
are that package's estimates until the 2027 SKB is issued.
"""

from datetime import date

NATIONAL_HOLIDAYS = frozenset(
    {
        # 2025
        date(2025, 1, 1),  # Tahun Baru Masehi
        date(2025, 1, 27),  # Isra Mikraj
        date(2025, 1, 29),  # Tahun Baru Imlek
        date(2025, 3, 29),  # Hari Suci Nyepi (Saturday)
        date(2025, 3, 31),  # Idul Fitri
        date(2025, 4, 1),  # Idul Fitri, second day
        date(2025, 4, 18),  # Wafat Yesus Kristus (Good Friday)
        date(2025, 4, 20),  # Kebangkitan Yesus Kristus (Easter Sunday)
        date(2025, 5, 1),  # Hari Buruh
        date(2025, 5, 12),  # Waisak
        date(2025, 5, 29),  # Kenaikan Yesus Kristus
        date(2025, 6, 1),  # Hari Lahir Pancasila (Sunday)
        date(2025, 6, 6),  # Idul Adha
        date(2025, 6, 27),  # Tahun Baru Islam
        date(2025, 8, 17),  # Hari Kemerdekaan (Sunday)
        date(2025, 9, 5),  # Maulid Nabi
        date(2025, 12, 25),  # Natal
        # 2026
        date(2026, 1, 1),  # Tahun Baru Masehi
        date(2026, 1, 16),  # Isra Mikraj
        date(2026, 2, 17),  # Tahun Baru Imlek
        date(2026, 3, 19),  # Hari Suci Nyepi
        date(2026, 3, 21),  # Idul Fitri (Saturday)
        date(2026, 3, 22),  # Idul Fitri, second day (Sunday)
        date(2026, 4, 3),  # Wafat Yesus Kristus (Good Friday)
        date(2026, 4, 5),  # Kebangkitan Yesus Kristus (Easter Sunday)
        date(2026, 5, 1),  # Hari Buruh
        date(2026, 5, 14),  # Kenaikan Yesus Kristus
        date(2026, 5, 27),  # Idul Adha
        date(2026, 5, 31),  # Waisak (Sunday)
        date(2026, 6, 1),  # Hari Lahir Pancasila
        date(2026, 6, 16),  # Tahun Baru Islam
        date(2026, 8, 17),  # Hari Kemerdekaan
        date(2026, 8, 25),  # Maulid Nabi
        date(2026, 12, 25),  # Natal
        # 2027 (estimates)
        date(2027, 1, 1),  # Tahun Baru Masehi
        date(2027, 1, 5),  # Isra Mikraj
        date(2027, 2, 6),  # Tahun Baru Imlek (Saturday)
        date(2027, 3, 8),  # Hari Suci Nyepi
        date(2027, 3, 10),  # Idul Fitri
        date(2027, 3, 11),  # Idul Fitri, second day
        date(2027, 3, 26),  # Wafat Yesus Kristus (Good Friday)
        date(2027, 3, 28),  # Kebangkitan Yesus Kristus (Easter Sunday)
        date(2027, 5, 1),  # Hari Buruh (Saturday)
        date(2027, 5, 6),  # Kenaikan Yesus Kristus
        date(2027, 5, 17),  # Idul Adha
        date(2027, 5, 20),  # Waisak
        date(2027, 6, 1),  # Hari Lahir Pancasila
        date(2027, 6, 6),  # Tahun Baru Islam (Sunday)
        date(2027, 8, 15),  # Maulid Nabi (Sunday)
        date(2027, 8, 17),  # Hari Kemerdekaan
        date(2027, 12, 25),  # Natal (Saturday)
        date(2027, 12, 26),  # Isra Mikraj (Sunday)
    }
)
CUTI_BERSAMA = frozenset(
    {
        # 2025
        date(2025, 1, 28),  # Imlek
        date(2025, 3, 28),  # Nyepi
        date(2025, 4, 2),  # Idul Fitri
        date(2025, 4, 3),  # Idul Fitri
        date(2025, 4, 4),  # Idul Fitri
        date(2025, 4, 7),  # Idul Fitri
        date(2025, 5, 13),  # Waisak
        date(2025, 5, 30),  # Kenaikan Yesus Kristus
        date(2025, 6, 9),  # Idul Adha
        date(2025, 8, 18),  # Hari Kemerdekaan
        date(2025, 12, 26),  # Natal
        # 2026
        date(2026, 2, 16),  # Imlek
        date(2026, 3, 18),  # Nyepi
        date(2026, 3, 20),  # Idul Fitri
        date(2026, 3, 23),  # Idul Fitri
        date(2026, 3, 24),  # Idul Fitri
        date(2026, 5, 15),  # Kenaikan Yesus Kristus
        date(2026, 5, 28),  # Idul Adha
        date(2026, 12, 24),  # Natal
        # 2027 (estimates)
        date(2027, 2, 5),  # Imlek
        date(2027, 3, 9),  # Idul Fitri
        date(2027, 3, 12),  # Idul Fitri
        date(2027, 3, 15),  # Idul Fitri
        date(2027, 3, 25),  # Wafat Yesus Kristus
        date(2027, 5, 18),  # Idul Adha
        date(2027, 5, 19),  # Waisak
        date(2027, 12, 24),  # Natal
    }
)
