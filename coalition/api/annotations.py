"""Placeholder for the annotations endpoints."""

from ninja import Router

router = Router()
