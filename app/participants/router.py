"""HTTP routes."""

from fastapi import APIRouter

router = APIRouter()
me_router = APIRouter()
