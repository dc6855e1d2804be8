"""Import results that describe their problems as editors read them: line, column and reason."""

from django.utils.html import format_html
from import_export.results import Result

from ..readers import MAX_MESSAGES


def line_of(row_number: int) -> int:
    """Return the line of a data row as a spreadsheet counts it (the header is line 1)."""
    return row_number + 1


class CoalitionResult(Result):
    """An import result whose `messages` name the line, the column and the reason of every problem."""

    def messages(self) -> list[str]:
        """Return one message per problem, as HTML (a message naming an existing record links to it); never a
        traceback."""
        messages = [format_html("{}", str(error.error)) for error in self.base_errors]
        for row in self.invalid_rows:
            line = line_of(row.number)
            for column, errors in row.error_dict.items():
                for message in errors:
                    if column == "__all__":
                        messages.append(format_html("line {}: {}", line, message))
                    else:
                        messages.append(format_html("line {}, column “{}”: {}", line, column, message))
        for number, errors in self.row_errors():
            for error in errors:
                messages.append(format_html("line {}: {}", line_of(number), str(error.error)))
        if len(messages) > MAX_MESSAGES:
            # A file wrong on every one of its 50,000 lines needs its first problems read, not a page of them all.
            hidden = len(messages) - MAX_MESSAGES
            messages = [*messages[:MAX_MESSAGES], format_html("… and {} more problems.", f"{hidden:,}")]
        return messages
