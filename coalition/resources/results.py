"""Import results that describe their problems as editors read them: line, column and reason."""

from import_export.results import Result


def line_of(row_number: int) -> int:
    """Return the line of a data row as a spreadsheet counts it (the header is line 1)."""
    return row_number + 1


class CoalitionResult(Result):
    """An import result whose `messages` name the line, the column and the reason of every problem."""

    def messages(self) -> list[str]:
        """Return one message per problem; never a traceback."""
        messages = [str(error.error) for error in self.base_errors]
        for row in self.invalid_rows:
            line = line_of(row.number)
            for column, errors in row.error_dict.items():
                for message in errors:
                    if column == "__all__":
                        messages.append(f"line {line}: {message}")
                    else:
                        messages.append(f"line {line}, column “{column}”: {message}")
        for number, errors in self.row_errors():
            for error in errors:
                messages.append(f"line {line_of(number)}: {error.error}")
        return messages
