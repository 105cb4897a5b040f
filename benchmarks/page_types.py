"""The page types issue 16 measures: name -> path (every HTML page type, the API's list and detail).

Shared by benchmarks/render_bench.py and benchmarks/first_request.py; no Django import, so a script that
starts Django elsewhere (first_request.py runs gunicorn) can read it.
"""

PAGES = {
    "home": "/",
    "list": "/cases/",
    "filtered": "/cases/?tier=best&prefecture=513400",
    "search": "/cases/?q=凉山",
    "search_long": "/cases/?q=便民服务&tier=excellent",
    "case": "/cases/2021-best-01/",
    "prefecture": "/prefectures/513400/",
    "statistics": "/statistics/",
    "api_list": "/api/v1/cases/",
    "api_case": "/api/v1/cases/1/",
}
