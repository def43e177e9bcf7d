"""The public JSON API under ``/api/v1/``, with its OpenAPI document at
``/api/v1/openapi.json`` and an interactive page at ``/api/v1/docs`` (Swagger UI from the
files bundled with django-ninja, served as our own static files; never from a CDN).

Each bounded context owns its router; this module only mounts them.
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from terbuka.information_requests.api import router as information_requests_router
from terbuka.public_information.api import router as public_information_router

DESCRIPTION = """\
**ID** — API publik Terbuka untuk keterbukaan informasi publik (UU 14/2008). Portal provinsi
atau nasional dapat memanen Daftar Informasi Publik (DIP) secara bertahap: panen penuh
pertama, lalu hanya perubahan sejak panen terakhir (`changed_since` dan kursor), termasuk
entri yang dicabut atau dikecualikan (`/dip/removed`). Aplikasi dapat melacak permohonan
informasi dengan kode pelacakan dari tanda bukti, tanpa data pribadi pemohon.

**EN** — The public API of Terbuka for freedom of information (Law 14/2008). A provincial or
national portal can harvest the list of public information (DIP) incrementally: a first full
harvest, then only what changed since the last one (`changed_since` and cursors), including
entries withdrawn or made exempt (`/dip/removed`). Apps can track an information request by
the tracking code on its receipt, with none of the requester's personal data.

No authentication. Labels are in Indonesian; send the cookie `terbuka_language=en` for English.
"""

api = NinjaAPI(
    title="Terbuka API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    # validatorUrl: Swagger UI would otherwise send the document's address to an outside
    # validator service.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/dip/", public_information_router)
api.add_router("/permohonan/", information_requests_router)
