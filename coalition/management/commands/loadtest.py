from django.core.management.base import BaseCommand, CommandError

from ...loadtest import NotLoopback, check_loopback, load_page, page_paths

TARGET_PER_SECOND = 200


class Command(BaseCommand):
    help = (
        "Put a fixed load on every public page of a server on this machine (locust, in a subprocess): requests per "
        "second, p50 and p99 milliseconds and errors per page. Loopback addresses only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="The server, on a loopback address.")
        parser.add_argument("--duration", type=int, default=10, help="Seconds of load per page.")
        parser.add_argument("--connections", type=int, default=20, help="Simultaneous clients.")
        parser.add_argument("--only", default="", help="Load only the pages whose address contains this.")

    def handle(self, *args, url, duration, connections, only, **options):
        try:
            url = check_loopback(url)
        except NotLoopback as refusal:
            raise CommandError(str(refusal)) from None
        if duration < 1 or connections < 1:
            raise CommandError("--duration and --connections must be at least 1.")
        self.stdout.write(f"{url}: {connections} connections, {duration} s per page (target {TARGET_PER_SECOND}/s)")
        self.stdout.write(
            "page | requests | requests/s | p50 ms | p99 ms | errors\n--- | ---: | ---: | ---: | ---: | ---:"
        )
        for path in page_paths(only):
            load = load_page(url, path, duration=duration, connections=connections)
            self.stdout.write(
                f"{load.path} | {load.requests} | {load.per_second:.1f} | {load.p50_ms:.0f} | {load.p99_ms:.0f} | "
                f"{load.failures}"
            )
