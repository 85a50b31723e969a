"""The operator's HTTP endpoints, with room for the chat receivers beside them.

- `/healthz`: the process is alive and its triage workers, if it runs any, are connected (the container
  HEALTHCHECK): a paste acknowledged while workers are down would wait unseen, so this turns 503 then.
- `/readyz`: database reachable, schema current, queue readable and this process's workers running;
  503 otherwise (a load balancer stops sending it traffic). The reason and per-check detail go only to
  loopback callers or those sending `Authorization: Bearer $FACTDESK_STATUS_TOKEN`; others get the word.
- `/metrics`: Prometheus exposition of `bot.observability.metrics` (queue gauges refreshed per scrape).

`build_http_app(extra_routes)` mounts more routes on the same server, e.g. Slack's `/slack/events`
(`adapters.serve.bolt_route`).
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
from collections.abc import Iterable, Mapping

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from bot.config import Settings, get_settings
from bot.health import Check, default_checks
from bot.jobs.queue import WORKERS_DOWN, WorkerHandle, refresh_queue_metrics


def build_http_app(
    extra_routes: Iterable[web.AbstractRouteDef] = (),
    *,
    settings: Settings | None = None,
    checks: Mapping[str, Check] | None = None,
    workers: WorkerHandle | None = None,
) -> web.Application:
    settings = settings or get_settings()
    checks = dict(checks if checks is not None else default_checks(settings))

    async def healthz(request: web.Request) -> web.Response:
        if workers is not None and not workers.alive:
            return web.json_response({"status": "unhealthy", "reason": WORKERS_DOWN}, status=503)
        return web.json_response({"status": "ok"})

    async def readyz(request: web.Request) -> web.Response:
        """Why not ready names the database's user, host and name: only loopback or the status token may
        read that; anyone else gets the status word."""
        detailed = _may_see_details(request, settings.status_token)
        results: dict[str, str] = {}
        for name, check in checks.items():
            problem = await asyncio.to_thread(check)  # checks query the database: keep the loop free
            results[name] = problem or "ok"
            if problem:
                answer = {"status": "unavailable", "reason": problem, "checks": results}
                return web.json_response(answer if detailed else {"status": "unavailable"}, status=503)
        return web.json_response({"status": "ready", "checks": results} if detailed else {"status": "ready"})

    async def metrics(request: web.Request) -> web.Response:
        await asyncio.to_thread(refresh_queue_metrics, settings)
        body = await asyncio.to_thread(generate_latest, REGISTRY)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application()
    app.add_routes(
        [
            web.get("/healthz", healthz),
            web.get("/readyz", readyz),
            web.get("/metrics", metrics),
            *extra_routes,
        ]
    )
    return app


def _may_see_details(request: web.Request, token: str | None) -> bool:
    if token and hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}"):
        return True
    try:
        return ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:
        return False


async def start_http(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Serve `app` in the running event loop; returns the runner (for cleanup) and the bound port."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner, runner.addresses[0][1]
