"""Placeholder for the changes endpoints."""

from ninja import Router

router = Router()
