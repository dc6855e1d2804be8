from django.core.management.base import BaseCommand, CommandError

from ...models import Commitment
from ...selectors.suggestions import quote_suggestions, suggestion_evaluation


class Command(BaseCommand):
    help = (
        "Print the passages most likely to report a commitment (--commitment summit/slug), or measure the "
        "suggestions (--evaluate): each commitment's own citations are held out and looked for among its top "
        "suggestions. Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commitment", metavar="SUMMIT/SLUG", help="The commitment to suggest passages for.")
        parser.add_argument("--limit", type=int, default=10, help="How many passages to print (default 10).")
        parser.add_argument("--evaluate", action="store_true", help="Print recall@5 and recall@1 of all commitments.")

    def handle(self, *args, commitment, limit, evaluate, **options):
        if evaluate:
            return self.evaluate()
        if not commitment or "/" not in commitment:
            raise CommandError("Give --evaluate, or --commitment as <summit-slug>/<commitment-slug>.")
        summit, slug = commitment.split("/", 1)
        record = Commitment.objects.select_related("country", "organisation").filter(summit__slug=summit, slug=slug)
        record = record.first()
        if record is None:
            raise CommandError(f"No commitment “{slug}” at the summit “{summit}”.")
        self.stdout.write(f"{record} ({summit}/{slug}):")
        for number, passage in enumerate(quote_suggestions(record=record, limit=limit), start=1):
            self.stdout.write(
                f"{number}. {passage.source.file_name} [{passage.start}:{passage.end}] score {passage.score:.2f} — "
                f"{passage.why}\n   {passage.text}"
            )

    def evaluate(self):
        records = Commitment.objects.select_related("country", "organisation").order_by("pk")
        result = suggestion_evaluation(records=records, ks=(1, 5))
        self.stdout.write(
            f"commitments evaluated (with at least one citation, held out): {result.evaluated}\n"
            f"recall@5: {result.recall(5):.2f} (a held-out citation overlaps one of the top 5 suggestions)\n"
            f"recall@1: {result.recall(1):.2f} (… the top suggestion)\n"
            f"citations found in the top 5: {result.recalled[5]:.2f} (mean share of each commitment's citations, "
            f"at most 5)"
        )
