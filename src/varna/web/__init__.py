"""The web door: the public privacy centre at ``/``, the REST API at ``/api/v1`` and, later, the
console at ``/console``, in one FastAPI application (:func:`varna.web.app.create_app`).

The web layer holds no business logic: every route parses its input, calls one ``Varna`` method
and renders the typed result. Errors become HTTP answers in one table (:mod:`varna.web.problems`).
"""
