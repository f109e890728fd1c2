"""Services: what the API's routes and the web pages both do, written once (publishing, edited rosters,
solves, the month overview). Adapters translate their errors; services know nothing of HTTP."""
