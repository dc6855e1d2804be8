"""Placeholder for the lists endpoints."""

from ninja import Router

router = Router()
