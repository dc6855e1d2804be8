"""The API's refusals as JSON: each names the parameter at fault and, where there are some, the valid values."""

from collections.abc import Iterable, Mapping

from django import forms


class Refused(ValueError):
    """A query parameter the API refuses, with what is wrong with it."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message

    def body(self) -> dict:
        """Return the JSON body of the 400 response."""
        return {"detail": str(self), "errors": {self.parameter: [self.message]}}


def refuse_unknown(params: Mapping[str, str], accepted: Iterable[str]) -> None:
    """Raise Refused for the first query parameter that is not `accepted` (a typo must not return everything)."""
    accepted = list(accepted)
    for name in params:
        if name not in accepted:
            valid = ", ".join(accepted) if accepted else "none"
            raise Refused(name, f"unknown parameter; the parameters accepted here are: {valid}")


def _valid_values(field: forms.Field) -> str:
    choices = [str(code) for code, _ in getattr(field, "choices", ()) if code != ""]
    return f" Valid values: {', '.join(choices)}." if choices else ""


def filter_errors(form: forms.Form) -> dict:
    """Return the JSON body of a 400 response for the filters a FilterSet's bound form refused."""
    errors = {
        name: [message + (_valid_values(form.fields[name]) if name in form.fields else "") for message in messages]
        for name, messages in form.errors.items()
    }
    detail = " ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
    return {"detail": detail, "errors": errors}


def validation_errors(errors: list[dict]) -> dict:
    """Return the JSON body of a 400 response for the parameters ninja could not read as their declared type."""
    by_name: dict[str, list[str]] = {}
    for error in errors:
        name = str(error.get("loc", ("request",))[-1])
        by_name.setdefault(name, []).append(str(error.get("msg", "is not valid")))
    detail = " ".join(f"{name}: {' '.join(messages)}" for name, messages in by_name.items())
    return {"detail": detail, "errors": by_name}
