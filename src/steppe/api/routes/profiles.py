"""``/profiles/{area}`` and ``/corridors/{a}/{b}``: the documents behind the portal pages."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from steppe.api.bundle import corridor_bundle, profile_bundle
from steppe.api.deps import Cache, LangQuery, Reader, area_json, area_of
from steppe.api.responses import etag_for, not_modified, object_response, release_refs
from steppe.api.routes._common import OBJECT
from steppe.api.schemas import Corridor, Profile

router = APIRouter(tags=["profiles"])


@router.get("/profiles/{area}", response_model=Profile, responses=OBJECT)
def get_profile(request: Request, area: str, snap: Reader, cache: Cache,
                lang: LangQuery = "en") -> Response:
    """A country migration profile in the sections of an IOM Migration Profile."""
    etag = etag_for(snap.fingerprint, request)
    if (cached := not_modified(request, etag)) is not None:
        return cached
    found = area_of(area)

    def build() -> dict[str, object]:
        built = profile_bundle(snap, cache, found, lang)
        return {"area": area_json(found, lang), "lang": lang, "sections": built["sections"],
                "releases": release_refs(snap.con, built["releases"])}

    body = cache.get_or_build((snap.fingerprint, f"profile|{found.area_id}|{lang}"), build)
    return object_response(body, etag)


@router.get("/corridors/{a}/{b}", response_model=Corridor, responses=OBJECT)
def get_corridor(request: Request, a: str, b: str, snap: Reader, cache: Cache,
                 lang: LangQuery = "en") -> Response:
    """Stocks both ways, the revisions side by side, bilateral indicators and rules."""
    etag = etag_for(snap.fingerprint, request)
    if (cached := not_modified(request, etag)) is not None:
        return cached
    first, second = area_of(a), area_of(b)

    def build() -> dict[str, object]:
        built = corridor_bundle(snap, cache, first, second)
        return {"a": area_json(first, lang), "b": area_json(second, lang),
                "sections": built["sections"],
                "releases": release_refs(snap.con, built["releases"])}

    key = f"corridor|{first.area_id}|{second.area_id}|{lang}"
    return object_response(cache.get_or_build((snap.fingerprint, key), build), etag)
