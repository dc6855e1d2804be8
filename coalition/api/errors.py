"""The body of the API's error responses."""

from ninja import Schema


class ErrorOut(Schema):
    """Why a request was refused (400) or found nothing (404)."""

    detail: str
