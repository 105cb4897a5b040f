"""/api/v1/ — the read-only JSON API (see cases/api.py and awards/api.py)."""

app_name = "api"

urlpatterns: list = []
