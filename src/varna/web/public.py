"""The public privacy centre: pages a person reads without signing in, in Swedish and English,
each working without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from varna.dsr.requests import Kind
from varna.web.pages import LANGUAGES, pick_language, render_page
from varna.web.responses import operation_id

if TYPE_CHECKING:
    from varna.core import Varna

router = APIRouter(include_in_schema=False, generate_unique_id_function=operation_id)


class PolicyCache:
    """The published versions and their composed pages, read once per version: the store is
    append-only, so a change of its file's size or modification time (one ``stat`` per page) is
    the cheap freshness check; reading and composing every version took most of each page."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._key: tuple[str, int, int] | None = None
        self._versions: list[Any] | None = None
        self._pages: dict[tuple[object, ...], str] = {}
        self._register: object = None

    def _fresh(self, varna: Varna) -> None:
        path = varna.policy_store().path
        try:
            found = path.stat()
            key = (str(path), found.st_mtime_ns, found.st_size)
        except FileNotFoundError:
            key = (str(path), -1, -1)
        if key != self._key:
            self._key, self._versions, self._pages = key, None, {}

    def versions(self, varna: Varna) -> list[Any]:
        """Every published version, oldest first."""
        with self._lock:
            self._fresh(varna)
            if self._versions is None:
                self._versions = varna.policy_versions()
            return self._versions

    def page(
        self, varna: Varna, *, lang: str, number: int | None, render: Callable[[Any], str]
    ) -> str:
        """The page of version ``number`` (the newest when ``None``) in ``lang``: ``render``
        of the composed version, which depends on nothing but the version and the language."""
        with self._lock:
            self._fresh(varna)
            page = self._pages.get(("policy", lang, number))
            if page is None:
                page = render(varna.published_policy(lang=lang, number=number))
                self._pages[("policy", lang, number)] = page
            return page

    def home(self, varna: Varna, *, lang: str, render: Callable[[bool], str]) -> str:
        """The home page in ``lang``: ``render`` of whether a version is published."""
        published = bool(self.versions(varna))
        return self.fixed(varna, ("home", lang, published), lambda: render(published))

    def fixed(self, varna: Varna, key: tuple[object, ...], render: Callable[[], str]) -> str:
        """A page that depends on nothing but ``key`` and the register (the same object while
        the process keeps it): ``render`` once, then the kept page."""
        with self._lock:
            if self._register is not varna.register:  # a process that reads its register anew
                self._register, self._pages = varna.register, {}
            page = self._pages.get(key)
            if page is None:
                page = self._pages[key] = render()
            return page


def policy_cache(request: Request) -> PolicyCache:
    """The application's policy cache (one per application, made on first use)."""
    cache = getattr(request.app.state, "policy_cache", None)
    if cache is None:
        cache = request.app.state.policy_cache = PolicyCache()
    assert isinstance(cache, PolicyCache)
    return cache


Lang = Annotated[str, Path(pattern="^(" + "|".join(LANGUAGES) + ")$")]


@router.get("/")
def root(accept_language: Annotated[str | None, Header()] = None) -> RedirectResponse:
    """The centre in the visitor's language (Accept-Language), Swedish by default."""
    return RedirectResponse(f"/{pick_language(accept_language)}/", status_code=303)


@router.get("/{lang}/", response_class=HTMLResponse)
async def home(request: Request, lang: Lang) -> HTMLResponse:
    """Who the controller is, how to reach them, the policy and the person's rights (kept
    rendered: answered on the event loop, without a trip to the thread pool)."""
    varna = request.app.state.varna

    def render(published: bool) -> str:
        return render_page(
            "home.html.j2",
            lang=lang,
            path="/",
            controller=varna.register.controller,
            published=published,
            kinds=[kind.value for kind in Kind],
        )

    return HTMLResponse(policy_cache(request).home(varna, lang=lang, render=render))


@router.get("/{lang}/policy", response_class=HTMLResponse)
def policy(request: Request, lang: Lang) -> HTMLResponse:
    """The privacy policy in force: the newest published version."""
    return _version(request, lang, None)


@router.get("/{lang}/policy/versions", response_class=HTMLResponse)
def versions(request: Request, lang: Lang) -> HTMLResponse:
    """Every published version with its date and what changed."""
    varna = request.app.state.varna
    history = list(enumerate(policy_cache(request).versions(varna), start=1))
    return HTMLResponse(
        render_page(
            "versions.html.j2",
            lang=lang,
            path="/policy/versions",
            controller=varna.register.controller,
            versions=list(reversed(history)),
        )
    )


@router.get("/{lang}/policy/versions/{number}", response_class=HTMLResponse)
def version(request: Request, lang: Lang, number: int) -> HTMLResponse:
    """One published version, as it was published."""
    return _version(request, lang, number)


def _version(request: Request, lang: str, number: int | None) -> HTMLResponse:
    varna = request.app.state.varna

    def render(published: Any) -> str:
        return render_page(
            "policy.html.j2",
            lang=lang,
            path="/policy" if number is None else f"/policy/versions/{number}",
            controller=varna.register.controller,
            published=published,
            doc=published.document,
            latest=published.latest,
        )

    return HTMLResponse(policy_cache(request).page(varna, lang=lang, number=number, render=render))
