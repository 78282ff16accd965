"""Whole reader pages in the shared cache, invalidated exactly.

A reader page is cached when the request carries no session cookie (so no one is signed in)
and the response is a plain 200 that sets no cookie. Every cache key holds a *generation*:
a counter in the shared cache (Redis when `REDIS_URL` is set) that every write to a dossier
record bumps. A reader's next request, on whichever worker or server, reads the new
generation and so a new key: a published change is visible at once, and older pages age out
of the cache by themselves. Editors are never served a reader's page: their issue pages are
kept apart, per generation and set of permissions (`cached_for_editors`), and every page of
theirs is marked `private, no-store`.

The generation is bumped by signal receivers on every model of the app (save, delete,
many-to-many change) and again when the transaction commits, so a page rendered from the old
rows while the write was in flight cannot be stored under the new generation. A write that
sends no signal (`QuerySet.update`, raw SQL, a bulk import) must call `bump_generation()`;
cached pages also expire after `READER_CACHE_SECONDS` as a safety net.

Each worker also keeps the pages it served lately in its own memory (`RecentPages`), under
the same keys: the generation is still read from the shared cache on every request, so a
page kept in memory is only served while no write has happened anywhere since, and a large
page is not fetched from Redis again for every reader.

Anonymous pages carry an `ETag` (a hash of the body) and a `Last-Modified` (when the page was
rendered), and answer a matching conditional request with 304. `Cache-Control` lets a shared
cache keep them for `READER_CACHE_MAX_AGE` seconds; a CDN in front must pass requests that
carry the session cookie to the app (editors must not be served an anonymous copy).
"""

import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.middleware.gzip import GZipMiddleware
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date

from issues.http import wants_a_page

GENERATION_KEY = "reader-pages:generation"
#: Paths never cached: the back office, probes, and every editing address.
NEVER_CACHED = ("/admin/", "/healthz", "/livez", "/edit/", "/drafts/")
SAFE_METHODS = ("GET", "HEAD")


def _cache():
    return caches[settings.READER_CACHE_ALIAS]


def current_generation() -> int:
    cache = _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A fresh (or flushed) cache starts from the clock, above any counter used before,
        # so a restarted Redis cannot bring back a key of an older generation.
        fresh = time.time_ns()
        cache.add(GENERATION_KEY, fresh, timeout=None)
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            # Flushed or evicted again in between: a generation of its own is still
            # exact, its pages are simply not found again.
            generation = fresh
    return int(generation)


def bump_generation() -> None:
    """Make every cached reader page stale: call after any write the signals do not see."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet (or evicted): start one above any earlier value
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def record_changed(sender=None, **_signal) -> None:
    """A dossier record changed: readers' pages go stale now and again once it commits."""
    bump_generation()
    transaction.on_commit(bump_generation)


def connect_receivers() -> None:
    """Listen to every model of the app: records, their links, labels, drafts, revisions;
    and to what changes a viewer's permissions (editors' pages are kept per permissions): any
    many-to-many change (groups, grants) and a deleted group or permission, whose links go
    with it without a many-to-many signal."""
    from django.contrib.auth.models import Group, Permission

    for model in apps.get_app_config("issues").get_models():
        uid = f"reader-cache-{model._meta.label_lower}"
        post_save.connect(record_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(record_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(record_changed, dispatch_uid="reader-cache-m2m")
    for model in (Group, Permission):
        uid = f"reader-cache-{model._meta.label_lower}-delete"
        post_delete.connect(record_changed, sender=model, dispatch_uid=uid)


def cached_for_readers(name: str, build: Callable[[], bytes]) -> bytes:
    """What `build` makes of published content (a share image), kept in the shared cache
    under the current generation, like a reader page: any write makes it stale at once.
    The generation is read before building, so what was built from rows a write was
    changing is stored under a generation that write bumps again when it commits."""
    if settings.READER_CACHE_SECONDS <= 0:
        return build()
    cache = _cache()
    key = f"reader-derived:{current_generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.READER_CACHE_SECONDS)
    return value


def is_anonymous_request(request: HttpRequest) -> bool:
    """No session cookie means no one is signed in (the session would say who)."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def may_use_cache(request: HttpRequest) -> bool:
    return (
        settings.READER_CACHE_SECONDS > 0
        and request.method in SAFE_METHODS
        and is_anonymous_request(request)
        and "HTTP_HX_REQUEST" not in request.META
        and not request.path.startswith(NEVER_CACHED)
    )


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A cached page as plain data: each request gets a response of its own to add headers to."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    @classmethod
    def of(cls, response: HttpResponse) -> "StoredPage":
        return cls(response.status_code, tuple(response.headers.items()), response.content)

    def response(self) -> HttpResponse:
        return HttpResponse(self.content, status=self.status, headers=dict(self.headers))


class RecentPages:
    """The pages this worker served lately, by cache key: a bounded store in front of the
    shared cache. Keys hold the generation, and the generation only grows, so the first key
    of a newer generation empties the store: nothing stale is kept, let alone served. A lock
    keeps it whole under a threaded server (`runserver`, gunicorn's threads)."""

    def __init__(self, max_bytes: int | None = None) -> None:
        self._max_bytes = max_bytes
        self.lock = threading.Lock()
        self.pages: OrderedDict[str, tuple[float, StoredPage | EditorPage]] = OrderedDict()
        self.size = 0
        self.generation: int | None = None

    @property
    def max_bytes(self) -> int:
        return settings.READER_RECENT_PAGES_BYTES if self._max_bytes is None else self._max_bytes

    def get(self, generation: int, key: str) -> "StoredPage | EditorPage | None":
        with self.lock:
            return self._get(generation, key)

    def put(self, generation: int, key: str, page: "StoredPage | EditorPage", seconds: int) -> None:
        with self.lock:
            self._put(generation, key, page, seconds)

    def _get(self, generation: int, key: str) -> "StoredPage | EditorPage | None":
        if generation != self.generation:
            self.clear(generation)
            return None
        kept = self.pages.get(key)
        if kept is None:
            return None
        expires, page = kept
        if expires < time.monotonic():
            self._drop(key)
            return None
        self.pages.move_to_end(key)
        return page

    def _put(
        self, generation: int, key: str, page: "StoredPage | EditorPage", seconds: int
    ) -> None:
        if generation != self.generation:
            self.clear(generation)
        if key in self.pages:
            self._drop(key)
        if len(page.content) > self.max_bytes:
            return
        self.pages[key] = (time.monotonic() + seconds, page)
        self.size += len(page.content)
        while self.size > self.max_bytes:
            self._drop(next(iter(self.pages)))

    def clear(self, generation: int | None = None) -> None:
        self.pages.clear()
        self.size = 0
        self.generation = generation

    def _drop(self, key: str) -> None:
        _, page = self.pages.pop(key)
        self.size -= len(page.content)


#: This process's pages, in front of the shared cache (one per worker process).
recent_pages = RecentPages()


def kept_page(generation: int, key: str) -> "StoredPage | EditorPage | None":
    """This worker's copy when it has one, else the shared cache's (kept here after)."""
    page = recent_pages.get(generation, key)
    if page is None:
        page = _cache().get(key)
        if page is not None:
            recent_pages.put(generation, key, page, settings.READER_CACHE_SECONDS)
    return page


def keep_page(generation: int, key: str, page: "StoredPage | EditorPage") -> None:
    _cache().set(key, page, settings.READER_CACHE_SECONDS)
    recent_pages.put(generation, key, page, settings.READER_CACHE_SECONDS)


def cache_key(request: HttpRequest, generation: int) -> str:
    accepts_gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    # A feed answers a browser as XML it can style, a feed reader as Atom (issues/feeds.py):
    # the two are kept apart, as their `Vary: Accept` says.
    page = "page" if wants_a_page(request) else "any"
    address = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    # "v2": pages are stored as `StoredPage`; one stored by an earlier release is not read.
    return f"reader-page:v2:{generation}:{int(accepts_gzip)}:{page}:{digest}"


def is_cacheable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
    )


def mark_for_readers(response: HttpResponse) -> None:
    """Headers of an anonymous page: shareable briefly, validators for conditional GET, and no
    `Vary: Cookie` (the page is the same for every reader)."""
    if response.has_header("Vary"):
        kept = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "cookie"]
        if kept:
            response["Vary"] = ", ".join(kept)
        else:
            del response["Vary"]
    patch_cache_control(response, public=True, max_age=settings.READER_CACHE_MAX_AGE)
    if not response.has_header("ETag"):
        set_response_etag(response)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date()


# Editors' pages: never cached for anyone else, nor by a browser or a CDN, but built once per
# generation for each set of permissions. What an editor's page shows depends on the records,
# drafts included (every write bumps the generation), and on what the viewer may do (their
# permissions, staff and superuser flags): the key holds both. The CSRF token is the one part
# that belongs to one person: the page is rendered with a random placeholder in its place,
# kept with the page, and each request puts its own token there.


def may_use_editor_cache(request: HttpRequest) -> bool:
    return (
        settings.READER_CACHE_SECONDS > 0
        and request.method in SAFE_METHODS
        and request.user.is_authenticated
        and "HTTP_HX_REQUEST" not in request.META
        # A message waiting to be shown is this request's own.
        and not len(get_messages(request))
    )


def viewer_variant(user, generation: int) -> str:
    """What an editor's page may depend on of its viewer: what they are allowed to do. The
    permissions are kept per generation, which a grant or a withdrawal (a change of groups or
    permissions, a deleted group) bumps like any write, so they cost no query on most pages."""
    key = f"viewer-permissions:{generation}:{user.pk}"
    allowed = _cache().get(key)
    if allowed is None:
        allowed = ",".join(sorted(user.get_all_permissions()))
        _cache().set(key, allowed, settings.READER_CACHE_SECONDS)
    described = f"{user.is_active}:{user.is_staff}:{user.is_superuser}:{allowed}"
    return hashlib.sha256(described.encode()).hexdigest()[:32]


def editor_page_key(request: HttpRequest, generation: int) -> str:
    address = f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    day = timezone.localdate().isoformat()  # the page says when it was accessed
    variant = viewer_variant(request.user, generation)
    return f"editor-page:v1:{generation}:{variant}:{day}:{digest}"


@dataclass(frozen=True, slots=True)
class EditorPage:
    placeholder: bytes  # where the viewer's CSRF token goes
    content_type: str
    content: bytes

    def response_for(self, request: HttpRequest) -> HttpResponse:
        content = self.content.replace(self.placeholder, get_token(request).encode())
        return HttpResponse(content, content_type=self.content_type)


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor: while an editor's page is built for the cache, `{% csrf_token %}`
    and `{{ csrf_token }}` write the page's placeholder instead of this viewer's token."""
    placeholder = getattr(request, "csrf_placeholder", None)
    return {"csrf_token": placeholder} if placeholder else {}


def cached_for_editors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a signed-in viewer the page built for their permissions at this generation."""

    @wraps(view)
    def serve(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_use_editor_cache(request):
            return view(request, *args, **kwargs)
        generation = current_generation()
        key = editor_page_key(request, generation)
        page = kept_page(generation, key)
        if page is None:
            response, page = _build_editor_page(view, request, *args, **kwargs)
            if page is None:
                return response
            if request.method == "GET":
                keep_page(generation, key, page)
        assert isinstance(page, EditorPage)
        return page.response_for(request)

    return serve


def _build_editor_page(view, request, *args, **kwargs) -> tuple[HttpResponse, EditorPage | None]:
    """The view's response for this viewer, and the page to keep when it may be kept."""
    placeholder = secrets.token_urlsafe(24)
    request.csrf_placeholder = placeholder  # type: ignore[attr-defined]
    try:
        response = view(request, *args, **kwargs)
    finally:
        del request.csrf_placeholder  # type: ignore[attr-defined]
    if response.streaming:
        return response, None
    page = EditorPage(placeholder.encode(), response["Content-Type"], response.content)
    if not is_cacheable(response):
        response.content = page.response_for(request).content
        return response, None
    return response, page


class ReaderCacheMiddleware:
    """Serve anonymous reader pages from the shared cache; mark editors' pages private."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not may_use_cache(request):
            response = self.get_response(request)
            if not is_anonymous_request(request):
                patch_cache_control(response, private=True, no_store=True)
            return response
        generation = current_generation()
        key = cache_key(request, generation)
        page = kept_page(generation, key)
        if page is None:
            response = self.get_response(request)
            if not is_cacheable(response):
                return response
            mark_for_readers(response)
            if request.method != "GET":
                return self.conditional(request, response)
            page = StoredPage.of(response)
            keep_page(generation, key, page)
        assert isinstance(page, StoredPage)
        return self.conditional(request, page.response())

    @staticmethod
    def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=_parse_http_date(response.get("Last-Modified")),
            response=response,
        )


def _parse_http_date(value: str | None) -> int | None:
    from django.utils.http import parse_http_date_safe

    return parse_http_date_safe(value) if value else None


#: Where whitespace is shown as written, kept whole.
_PREFORMATTED = re.compile(rb"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
#: A line break and the indentation and blank lines after it.
_INDENTATION = re.compile(rb"\n[ \t\r\n]*")


def compact_html(content: bytes) -> bytes:
    """The page without its templates' indentation: each line break and the whitespace after
    it become one line break. Outside preformatted text a browser renders any run of
    whitespace as one space, so the page looks the same and travels lighter (indentation and
    blank lines were a tenth of a large meeting page)."""
    parts, start = [], 0
    for kept in _PREFORMATTED.finditer(content):
        parts += [_INDENTATION.sub(b"\n", content[start : kept.start()]), kept.group()]
        start = kept.end()
    parts.append(_INDENTATION.sub(b"\n", content[start:]))
    return b"".join(parts)


class AnonymousCompactHtmlMiddleware:
    """Send anonymous readers HTML without indentation, compacted once before a page is
    cached. Editors' pages are left as rendered: one of their fragments shows text as
    written, line breaks and indents included (`white-space: pre-wrap`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            is_anonymous_request(request)
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.has_header("Content-Encoding")
        ):
            response.content = compact_html(response.content)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


class AnonymousGZipMiddleware(GZipMiddleware):
    """Compress HTML for anonymous readers only: an editor's page holds a CSRF token, and
    compressing secrets next to text an attacker can inject invites BREACH."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not is_anonymous_request(request) or is_compressed_already(response):
            return response
        return super().process_response(request, response)


def is_compressed_already(response: HttpResponse) -> bool:
    """A PNG is compressed: gzip would only cost time."""
    return response.get("Content-Type", "").startswith("image/png")
