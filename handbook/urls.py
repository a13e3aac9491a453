"""The promised public URLs of records that more than one area links to.

Site paths without a leading slash; link between pages with render.relative_url.
"""
from __future__ import annotations


def area_url(area_id: str) -> str:
    return f"kvalitetsmodell/{area_id}/"


def criterion_url(area_id: str, criterion_id: str) -> str:
    return f"kvalitetsmodell/{area_id}/#{criterion_id}"


def module_url(module_id: str) -> str:
    return f"handledarutbildning/{module_id}/"


def method_url(method_id: str) -> str:
    return f"metoder/{method_id}/"
