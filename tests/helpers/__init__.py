"""Test helpers shared by every pytest suite of sitecare.

- `helpers.api`: `ApiSession`, an HTTPS client for the staff API (Django
  session + CSRF, certificate always verified) with an SSE reader;
- `helpers.service`: `Service`, which starts, restarts and stops the
  reference service (`tests/service/serve`) and runs `tests/service/ctl`;
- `helpers.accounts`: the demo accounts and the permission matrix of the
  contract (`share/api/API.md`).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
