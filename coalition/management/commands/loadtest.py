from urllib.error import URLError

from django.core.management.base import BaseCommand, CommandError

from ...loadtest import NotLoopback, check_loopback, load_pages, page_paths

TARGET_PER_SECOND = 200


class Command(BaseCommand):
    help = (
        "Put a fixed load on every public page of a server on this machine (locust, in a subprocess), one page after "
        "another: requests per second, p50 and p99 milliseconds and errors per page. Loopback addresses only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="The server, on a loopback address.")
        parser.add_argument("--duration", type=float, default=10, help="Seconds of load per page.")
        parser.add_argument("--connections", type=int, default=20, help="Simultaneous clients.")
        parser.add_argument("--only", default="", help="Load only the pages whose address contains this.")

    def handle(self, *args, url, duration, connections, only, **options):
        try:
            url = check_loopback(url)
        except NotLoopback as refusal:
            raise CommandError(str(refusal)) from None
        if duration <= 0 or connections < 1:
            raise CommandError("--duration must be above 0 and --connections at least 1.")
        paths = page_paths(only)
        self.stdout.write(
            f"{url}: {connections} connections, {duration:g} s per page, {len(paths)} pages "
            f"(target {TARGET_PER_SECOND}/s)"
        )
        try:
            loads = load_pages(url, paths, duration=duration, connections=connections)
        except URLError as error:
            raise CommandError(f"{url} does not answer: {error.reason}") from None
        self.stdout.write(
            "page | requests | requests/s | p50 ms | p99 ms | errors\n--- | ---: | ---: | ---: | ---: | ---:"
        )
        for load in loads:
            self.stdout.write(
                f"{load.path} | {load.requests} | {load.per_second:.1f} | {load.p50_ms:.0f} | {load.p99_ms:.0f} | "
                f"{load.failures}"
            )
