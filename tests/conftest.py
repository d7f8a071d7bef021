"""Shared test setup. Real services (PostgreSQL, Redis, uvicorn) come from the plugins below."""

pytest_plugins = [
    "tests.fixtures.services",
    "tests.fixtures.redis",
    "tests.fixtures.database",
    "tests.fixtures.live_server",
]
